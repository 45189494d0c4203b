import { ActionClass, Role } from '@aegis/contracts';
import { JUSTIFICATION_MAX_LENGTH } from '@aegis/governance';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { OBJECT_SCHEMA } from '../http/object-schema';

export class ToolDto {
  @ApiProperty({ example: 'write_file' })
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty({
    enum: ActionClass,
    enumName: 'ActionClass',
    description: "The tool's class; execute_command is classified per call by its program",
  })
  actionClass: ActionClass;

  @ApiProperty({ enum: Role, enumName: 'Role', description: 'Callers below this role are refused' })
  minRole: Role;

  @ApiProperty({ ...OBJECT_SCHEMA, description: 'JSON Schema (draft 2020-12) of `args`' })
  argsSchema: Record<string, unknown>;
}

export class ExecuteToolDto {
  @ApiPropertyOptional({ ...OBJECT_SCHEMA, description: "The tool's arguments (see its argsSchema); default {}" })
  @IsOptional()
  @IsObject()
  args?: Record<string, unknown>;

  @ApiPropertyOptional({
    maxLength: JUSTIFICATION_MAX_LENGTH,
    description: 'Why the action is needed: required for SENSITIVE and CRITICAL actions (at least 20 characters and 3 words)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(JUSTIFICATION_MAX_LENGTH)
  justification?: string;
}

export class ToolPolicyDto {
  @ApiProperty({
    enum: ['allow', 'justify', 'approve', 'deny'],
    description: "The policy's answer for the caller's role (deny also below the tool's minimum role)",
  })
  decision: 'allow' | 'justify' | 'approve' | 'deny';

  @ApiProperty({ description: 'The caller may run (or request) the tool' })
  allowed: boolean;

  @ApiProperty({ description: 'A written justification must come with the call (at least 20 characters and 3 words)' })
  justificationRequired: boolean;

  @ApiProperty({ description: "The call waits for an admin's approval (202) instead of running" })
  approvalRequired: boolean;

  @ApiProperty({ example: 'Runs at once with a written justification' })
  summary: string;
}

export class ToolCatalogItemDto extends ToolDto {
  @ApiProperty({
    description:
      'The class (and so the policy) is decided per call from the arguments (execute_command: its program); `actionClass` and `policy` are the highest case',
  })
  classifiedPerCall: boolean;

  @ApiProperty({ type: ToolPolicyDto, description: "What the policy means for the caller's role" })
  policy: ToolPolicyDto;
}

export class ToolCatalogDto {
  @ApiProperty({ enum: Role, enumName: 'Role', description: 'The role `policy` was worked out for: the caller’s' })
  role: Role;

  @ApiProperty({ type: [ToolCatalogItemDto] })
  items: ToolCatalogItemDto[];
}
