import { CurrentPrincipal, type Principal } from '@aegis/auth';
import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../http/uuid.pipe';
import { UploadDto, UploadFileDto } from './uploads.dto';
import { UploadsException, UploadsExceptionCode } from './uploads.exception';
import { UploadsService } from './uploads.service';

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFileDto })
  @ApiCreatedResponse({ type: UploadDto })
  create(@CurrentPrincipal() principal: Principal, @UploadedFile() file: Express.Multer.File | undefined): Promise<UploadDto> {
    if (!file) throw new UploadsException(UploadsExceptionCode.ValidationFailed, 'The multipart field "file" is required');
    return this.uploads.create(principal.userId, file);
  }

  @Get(':id')
  @ApiOkResponse({ type: UploadDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<UploadDto> {
    return this.uploads.get(principal.userId, id);
  }

  /** Frees the upload's share of the caller's quota (UPLOAD_QUOTA_MB). */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.uploads.remove(principal.userId, id);
  }

  /** Always a download, never rendered inline, with the type detected at upload. */
  @Get(':id/content')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  async content(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<StreamableFile> {
    const { upload, bytes } = await this.uploads.content(principal.userId, id);
    return new StreamableFile(bytes, { type: upload.mime, disposition: attachmentDisposition(upload.name), length: bytes.length });
  }
}
