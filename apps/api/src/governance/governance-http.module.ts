import { GovernanceModule } from '@aegis/governance';
import { Module } from '@nestjs/common';
import { ActionsController } from './actions.controller';
import { ApprovalsController } from './approvals.controller';
import { AuditExport } from './audit-export';
import { AuditController } from './audit.controller';
import { DockerController } from './docker.controller';
import { DockerService } from './docker.service';
import { DockerLogFollows } from './docker-log-follow';
import { ToolsController } from './tools.controller';

/** The HTTP face of libs/governance: tools, approvals, actions (rollback), audit and Docker. */
@Module({
  imports: [GovernanceModule],
  controllers: [ToolsController, ApprovalsController, ActionsController, AuditController, DockerController],
  providers: [DockerService, DockerLogFollows, AuditExport],
})
export class GovernanceHttpModule {}
