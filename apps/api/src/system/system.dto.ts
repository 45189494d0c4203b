import { ApiProperty } from '@nestjs/swagger';

export class ConfigEntryDto {
  @ApiProperty({ example: 'SANDBOX_MEMORY_MB', description: 'The environment variable (README "Configuration")' })
  key: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '512',
    description:
      'The effective value as text; null when unset. Secrets: API keys as sk-…abcd, URLs with the password as ****, anything else null',
  })
  value: string | null;

  @ApiProperty({ description: 'Marked sensitive in the configuration: never shown in full' })
  secret: boolean;

  @ApiProperty({ description: 'Whether it has a value' })
  set: boolean;
}

export class SystemVersionsDto {
  @ApiProperty({ example: '0.1.0' })
  aegis: string;

  @ApiProperty({ example: 'v24.11.0' })
  node: string;

  @ApiProperty({ example: '11.2.10' })
  nestjs: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'PostgreSQL 17.5 on x86_64-pc-linux-gnu, …',
    description: "The database server's name and version (e.g. PostgreSQL 15.8); null if it did not answer",
  })
  postgres: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '27.5.1',
    description: "The Docker daemon's version; null when Docker is not reachable",
  })
  docker: string | null;
}

export class SystemDatabaseDto {
  @ApiProperty({
    enum: ['embedded', 'external'],
    description: 'embedded: PGlite in DATA_DIR; external: the PostgreSQL server of DATABASE_URL',
  })
  kind: 'embedded' | 'external';

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'postgres://aegis:****@db:5432/aegis',
    description: 'DATABASE_URL with its password masked',
  })
  url: string | null;
}

export class SystemRedisDto {
  @ApiProperty({ description: 'REDIS_URL is set: rate-limit counters are shared through Redis' })
  enabled: boolean;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether Redis answered just now; null when it is not enabled' })
  reachable: boolean | null;

  @ApiProperty({ type: String, nullable: true, description: 'REDIS_URL with its password masked' })
  url: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why Redis is not reachable' })
  reason: string | null;
}

export class SystemDockerDto {
  @ApiProperty()
  available: boolean;

  @ApiProperty({ example: '/var/run/docker.sock' })
  socketPath: string;

  @ApiProperty({ type: String, nullable: true })
  version: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1.47' })
  apiVersion: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why Docker is not reachable' })
  reason: string | null;

  @ApiProperty({ type: [String], description: 'DOCKER_CONTAINER_ALLOWLIST' })
  containerAllowlist: string[];
}

export class SystemSandboxDto {
  @ApiProperty({ enum: ['sandbox', 'direct'], description: 'EXECUTE_MODE' })
  mode: 'sandbox' | 'direct';

  @ApiProperty({ enum: ['docker', 'bwrap', 'auto'], description: 'SANDBOX_DRIVER as configured' })
  configuredDriver: 'docker' | 'bwrap' | 'auto';

  @ApiProperty({
    enum: ['docker', 'bwrap', 'direct', 'none'],
    description: 'The driver commands run with now (none: every command is refused)',
  })
  driver: 'docker' | 'bwrap' | 'direct' | 'none';

  @ApiProperty()
  available: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Why no sandbox is usable, or why the one in use is unsafe' })
  reason: string | null;

  @ApiProperty({ example: 'aegis-sandbox:local' })
  image: string;

  @ApiProperty({ enum: ['none', 'bridge'] })
  network: 'none' | 'bridge';

  @ApiProperty({ example: 0.5 })
  cpus: number;

  @ApiProperty({ example: 512 })
  memoryMb: number;

  @ApiProperty({ example: 64, description: 'Processes one sandbox may hold at a time' })
  pidsLimit: number;

  @ApiProperty({ example: 30000 })
  timeoutMs: number;

  @ApiProperty({ example: 1048576, description: 'Per stream; longer output is cut and marked truncated' })
  maxOutputBytes: number;

  @ApiProperty({ example: 67108864, description: "Size of the sandbox's private /tmp" })
  tmpBytes: number;

  @ApiProperty()
  allowDirectFallback: boolean;
}

export class SystemDto {
  @ApiProperty({ type: SystemVersionsDto })
  versions: SystemVersionsDto;

  @ApiProperty({ type: SystemDatabaseDto })
  database: SystemDatabaseDto;

  @ApiProperty({ type: SystemRedisDto })
  redis: SystemRedisDto;

  @ApiProperty({ type: SystemDockerDto })
  docker: SystemDockerDto;

  @ApiProperty({ type: SystemSandboxDto })
  sandbox: SystemSandboxDto;

  @ApiProperty({ type: String, format: 'date-time', description: 'When this server process started' })
  startedAt: string;

  @ApiProperty({ description: 'Seconds since then' })
  uptimeSeconds: number;

  @ApiProperty({ type: [ConfigEntryDto], description: 'Every configuration variable, by name, secrets masked' })
  config: ConfigEntryDto[];
}
