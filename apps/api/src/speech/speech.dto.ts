import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** The text fields of the multipart form of POST /api/speech/transcriptions (validated; the file is multer's). */
export class TranscriptionFieldsDto {
  @ApiPropertyOptional({
    pattern: '^[a-z]{2,3}$',
    example: 'en',
    description: 'ISO 639-1 code of the spoken language; guessed by the model without it',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]{2,3}$/, { message: 'language must be an ISO 639-1 code such as en or de' })
  language?: string;
}

/** The whole multipart form, for the OpenAPI document. */
export class TranscriptionRequestDto extends TranscriptionFieldsDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The recording: webm, ogg, wav, mp3/mpeg, m4a/mp4 or flac (detected from its bytes), at most SPEECH_MAX_MB',
  })
  file: unknown;
}

export class TranscriptionDto {
  @ApiProperty({ description: 'What was said, trimmed; empty when nothing was understood' })
  text: string;

  @ApiProperty({ example: 'openai' })
  provider: string;

  @ApiProperty({ example: 'whisper-1' })
  model: string;
}

export class SynthesisRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, description: 'The text to read aloud' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  @Matches(/\S/, { message: 'text must not be blank' })
  text: string;

  @ApiPropertyOptional({
    pattern: '^[A-Za-z0-9_.-]{1,64}$',
    example: 'alloy',
    description: 'A voice of the provider; SPEECH_TTS_VOICE or the provider’s default without it',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'voice must be 1 to 64 letters, digits, dots, dashes or underscores' })
  voice?: string;
}

export class SpeechStatusDto {
  @ApiProperty({ description: 'POST /api/speech/transcriptions has a provider (otherwise it answers 503 SPEECH_UNAVAILABLE)' })
  transcription: boolean;

  @ApiProperty({ description: 'POST /api/speech/synthesis has a provider; without one, read aloud with the browser’s own speech' })
  synthesis: boolean;

  @ApiProperty({ description: 'The largest recording accepted, in bytes (SPEECH_MAX_MB)' })
  maxBytes: number;
}
