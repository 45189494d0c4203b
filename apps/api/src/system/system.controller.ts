import { MinRole } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SystemDto } from './system.dto';
import { SystemService } from './system.service';

@ApiTags('system')
@Controller('system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  /** Admins: the effective configuration (secrets masked), sandbox driver and limits, versions, database kind, Redis and Docker, uptime. */
  @Get()
  @MinRole(Role.Admin)
  @ApiOkResponse({ type: SystemDto })
  describe(): Promise<SystemDto> {
    return this.system.describe();
  }
}
