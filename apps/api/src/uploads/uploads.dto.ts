import { ApiProperty } from '@nestjs/swagger';

export class UploadDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The client’s file name, sanitised' })
  name: string;

  @ApiProperty({ description: 'Detected from the bytes', example: 'image/png' })
  mime: string;

  @ApiProperty({ description: 'Bytes' })
  size: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  sha256: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class UploadFileDto {
  @ApiProperty({ type: 'string', format: 'binary' })
  file: unknown;
}
