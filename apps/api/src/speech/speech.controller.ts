import { CurrentPrincipal, JsonOnly, type Principal, RateLimit } from '@aegis/auth';
import { SpeechException, SpeechExceptionCode, SpeechService } from '@aegis/providers';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RecordingLimitInterceptor } from './recording-limit.interceptor';
import { SpeechStatusDto, SynthesisRequestDto, TranscriptionDto, TranscriptionFieldsDto, TranscriptionRequestDto } from './speech.dto';

const AUDIO_SCHEMA = { schema: { type: 'string', format: 'binary' } } as const;

/** Speech in (a recording → text) and out (text → audio) through the configured provider (docs/providers.md "Speech"). */
@ApiTags('speech')
@Controller('speech')
export class SpeechController {
  constructor(private readonly speech: SpeechService) {}

  /** Whether each direction has a provider, so that a client can fall back to the browser's own speech without trying. */
  @Get()
  @ApiOkResponse({ type: SpeechStatusDto })
  status(): SpeechStatusDto {
    return { ...this.speech.availability(), maxBytes: this.speech.maxBytes };
  }

  @Post('transcriptions')
  @HttpCode(HttpStatus.OK)
  @RateLimit('chat')
  @UseInterceptors(RecordingLimitInterceptor, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: TranscriptionRequestDto })
  @ApiOkResponse({ type: TranscriptionDto })
  transcribe(
    @CurrentPrincipal() principal: Principal,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: TranscriptionFieldsDto,
  ): Promise<TranscriptionDto> {
    if (!file) throw new SpeechException(SpeechExceptionCode.ValidationFailed, 'The multipart field "file" with the recording is required');
    return this.speech.transcribe({ audio: file.buffer, language: fields.language, userId: principal.userId });
  }

  /** The audio as the provider made it (MP3 from OpenAI, WAV from Groq); never cached. */
  @Post('synthesis')
  @HttpCode(HttpStatus.OK)
  @RateLimit('chat')
  @JsonOnly()
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('audio/mpeg', 'audio/wav')
  @ApiOkResponse({
    description: 'The spoken text; X-Speech-Provider and X-Speech-Model name who spoke it',
    content: { 'audio/mpeg': AUDIO_SCHEMA, 'audio/wav': AUDIO_SCHEMA },
  })
  async synthesize(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SynthesisRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const result = await this.speech.synthesize({ text: body.text, voice: body.voice, userId: principal.userId });
    response.setHeader('X-Speech-Provider', result.provider);
    response.setHeader('X-Speech-Model', result.model);
    return new StreamableFile(result.audio, { type: result.mediaType, length: result.audio.length });
  }
}
