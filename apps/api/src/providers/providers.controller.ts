import { CurrentPrincipal, type Principal } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { ProviderCascade } from '@aegis/providers';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProviderListDto } from './providers.dto';

@ApiTags('providers')
@Controller('providers')
export class ProvidersController {
  constructor(private readonly cascade: ProviderCascade) {}

  /** The configured LLM providers: order, circuit, reachability, models; admins also see the key, masked. */
  @Get()
  @ApiOkResponse({ type: ProviderListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<ProviderListDto> {
    return { items: await this.cascade.overview(principal.role === Role.Admin) };
  }
}
