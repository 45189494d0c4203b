import type { AppConfig } from '@aegis/config';
import type { DatabaseConnection } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface OpenDatabase extends DatabaseConnection {
  /** Stops the embedded server, if one was started; a no-op for an external server. */
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PGlite under DATA_DIR. */
export async function openDatabase(config: AppConfig): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl.reveal(), embedded: false, close: () => Promise.resolve() };
  }
  const embedded = await startEmbeddedPostgres(config.dataDir);
  return { url: embedded.url, embedded: true, close: () => embedded.stop() };
}
