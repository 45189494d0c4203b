import { JUSTIFICATION_MAX_LENGTH } from '@aegis/governance';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The most lines one logs request (and a download) may ask for: docker_logs' own limit. */
export const MAX_LOG_TAIL = 5000;
/** The most lines a follow starts with. */
export const MAX_FOLLOW_TAIL = 1000;
export const SEARCH_MAX_LENGTH = 200;

export const CONTAINER_HEALTH = ['healthy', 'unhealthy', 'starting', 'none'] as const;

/** `1`, `true` (and `0`, `false`) from a query string. */
const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === '1' || value === 'true' ? true : value === '0' || value === 'false' ? false : value;

export class ContainerDto {
  @ApiProperty({ example: '4f2a9c1b7d3e', description: 'The first 12 characters of the container id' })
  id: string;

  @ApiProperty({ description: 'The name on DOCKER_CONTAINER_ALLOWLIST' })
  name: string;

  @ApiProperty({ example: 'aegis-sandbox:local' })
  image: string;

  @ApiProperty({ example: 'running', description: "Docker's state: created, running, paused, restarting, removing, exited or dead" })
  state: string;

  @ApiProperty({ example: 'Up 3 hours (healthy)', description: "Docker's own one-line status" })
  status: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null when it never started' })
  startedAt: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Seconds since it started, while it runs; null otherwise' })
  uptimeSeconds: number | null;

  @ApiProperty({
    enum: CONTAINER_HEALTH,
    enumName: 'ContainerHealth',
    description: "The health check's verdict; none without a health check",
  })
  health: (typeof CONTAINER_HEALTH)[number];

  @ApiProperty({ type: Number, nullable: true, description: 'Restarts by its restart policy; null when it could not be read' })
  restartCount: number | null;
}

export class DockerStatusDto {
  @ApiProperty({ description: 'False when Docker is not reachable from the server' })
  available: boolean;

  @ApiProperty({ type: [ContainerDto], description: 'Only containers on DOCKER_CONTAINER_ALLOWLIST, by name' })
  containers: ContainerDto[];

  @ApiPropertyOptional({
    description: 'Why Docker is unavailable, in words: no socket, permission denied, daemon not running, or not configured',
    example:
      'Docker is not reachable: /var/run/docker.sock does not exist; is Docker installed and running, and is DOCKER_SOCKET right? (connect ENOENT /var/run/docker.sock)',
  })
  reason?: string;
}

export class DockerLogsQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_LOG_TAIL,
    default: 100,
    description: `Lines from the end (a download without it: ${MAX_LOG_TAIL})`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LOG_TAIL)
  tail?: number;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Only lines written at or after this time (ISO 8601, to the second)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({
    maxLength: SEARCH_MAX_LENGTH,
    description: 'Only lines containing this text (case-insensitive), filtered on the server after the tail is read',
  })
  @IsOptional()
  @IsString()
  @MaxLength(SEARCH_MAX_LENGTH)
  search?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true or 1: the same lines as a text/plain attachment instead of JSON' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  download?: boolean;
}

export class DockerLogsDto {
  @ApiProperty({ description: 'The name on the allowlist' })
  container: string;

  @ApiProperty({ example: '4f2a9c1b7d3e' })
  id: string;

  @ApiProperty({ description: 'The lines, stdout and stderr in order, each ending in a newline' })
  logs: string;

  @ApiProperty({ description: 'True when more than 1 MiB was read: only the last 1 MiB is kept (before the search)' })
  truncated: boolean;
}

export class DockerLogFollowQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FOLLOW_TAIL, default: 100, description: 'Lines from the end to start with' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FOLLOW_TAIL)
  tail?: number;
}

export class DockerRestartDto {
  @ApiPropertyOptional({ maxLength: JUSTIFICATION_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(JUSTIFICATION_MAX_LENGTH)
  justification?: string;
}
