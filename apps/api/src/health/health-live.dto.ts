import { ApiProperty } from '@nestjs/swagger';

/** The liveness answer: the process serves HTTP; nothing else is checked. */
export class HealthLiveDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}
