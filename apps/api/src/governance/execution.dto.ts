import { ActionClass } from '@aegis/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OBJECT_SCHEMA } from '../http/object-schema';

/** What running a tool through governance answers: the verified action (200) or the approval it waits for (202). */
export class VerificationDto {
  @ApiProperty()
  verified: boolean;

  @ApiProperty({ example: 'the file now has sha256 …' })
  detail: string;
}

export class RollbackAvailabilityDto {
  @ApiProperty()
  available: boolean;

  @ApiPropertyOptional({ enum: ['restore_file', 'git_reset', 'apt_remove'] })
  kind?: string;

  @ApiPropertyOptional({ description: 'What undoing would do, or why the action cannot be undone' })
  reason?: string;
}

export class ActionResultDto {
  @ApiProperty({ enum: ['completed', 'failed'] })
  status: 'completed' | 'failed';

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass' })
  actionClass: ActionClass;

  @ApiProperty({ ...OBJECT_SCHEMA, description: "The tool's output" })
  output: unknown;

  @ApiProperty({ type: VerificationDto, nullable: true })
  verification: VerificationDto | null;

  @ApiProperty({ type: RollbackAvailabilityDto })
  rollback: RollbackAvailabilityDto;
}

export class ExecutedActionDto {
  @ApiProperty({ format: 'uuid' })
  actionId: string;

  @ApiProperty({ type: ActionResultDto })
  result: ActionResultDto;
}

export class PendingApprovalDto {
  @ApiProperty({ format: 'uuid' })
  approvalId: string;

  @ApiProperty({ enum: ['pending'] })
  status: 'pending';

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass' })
  actionClass: ActionClass;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt: Date;
}
