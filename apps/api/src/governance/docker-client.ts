import { type AppConfig, APP_CONFIG } from '@aegis/config';
import type { Provider } from '@nestjs/common';
import Dockerode from 'dockerode';

/**
 * The API's own Docker client, on DOCKER_SOCKET: it follows the log of a container that an audited
 * docker_logs call has just resolved on the allowlist, and reads the daemon's version. Every other
 * use of Docker goes through the tool registry (docs/sandbox.md "Docker panel").
 */
export const DOCKER_CLIENT = Symbol('DOCKER_CLIENT');

export const dockerClientProvider: Provider = {
  provide: DOCKER_CLIENT,
  inject: [APP_CONFIG],
  // dockerode connects lazily: an absent daemon is found out per call.
  useFactory: (config: AppConfig) => new Dockerode({ socketPath: config.dockerSocketPath }),
};
