import './app/blank-vendor-urls';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import { type AppConfig, ConfigValidationError, loadConfig, resolveGeneratedSecrets } from '@aegis/config';
import { EmbeddedDatabaseLockedError, openDatabase } from '@aegis/database';
import { createApp } from './app/create-app';

function fail(message: string): never {
  process.stderr.write(`\nAegis cannot start.\n${message}\n\n`);
  process.exit(1);
}

function readConfig(): AppConfig {
  try {
    return resolveGeneratedSecrets(loadConfig());
  } catch (error) {
    if (error instanceof ConfigValidationError) fail(error.message);
    throw error;
  }
}

function publicUrl(address: AddressInfo, host: string): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${address.port}`;
}

async function main(): Promise<void> {
  const config = readConfig();
  const database = await openDatabase(config).catch((error: unknown) => {
    if (error instanceof EmbeddedDatabaseLockedError) fail(error.message);
    throw error;
  });

  const { app, spa } = await createApp(config, database, config.webDir ?? join(__dirname, '..', 'web'));
  const admin = await app.get(AdminBootstrapService).ensureAdmin();
  await app.listen(config.port, config.host);

  const url = publicUrl(app.getHttpServer().address() as AddressInfo, config.host);
  const lines = [
    `Aegis is running at ${url}${spa ? '' : ' (API only: the web app is not built; run npm run build)'}`,
    `Database: ${database.embedded ? `embedded PGlite in ${config.dataDir}` : 'DATABASE_URL'}`,
  ];
  if (admin.created && admin.generatedPassword) {
    lines.push(
      '',
      `First start: created the admin user '${admin.username}' with this generated password (shown once, save it now):`,
      `    ${admin.generatedPassword}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received, stopping Aegis…\n`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  // `on`, not `once`: Ctrl-C on `npm start` reaches the server twice (from the terminal and forwarded by start.mjs),
  // and a second SIGINT without a listener would kill it before the embedded database is closed.
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`\nAegis failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
