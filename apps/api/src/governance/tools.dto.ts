import { Role } from '@aegis/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { ToolDto } from './governance.dto';

export class ToolPolicyDto {
  @ApiProperty({ enum: ['allow', 'justify', 'approve', 'deny'], description: "The policy's answer for the caller's role (deny also below the tool's minimum role)" })
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
  @ApiProperty({ description: 'The class (and so the policy) is decided per call from the arguments (execute_command: its program); `actionClass` and `policy` are the highest case' })
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
