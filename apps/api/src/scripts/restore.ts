import 'reflect-metadata';
import { resolve } from 'node:path';
import { loadConfig } from '@aegis/config';
import { parseArgs, runCli, UsageError } from '../backup/backup-cli';
import { restoreBackup } from '../backup/restore-backup';

const USAGE = 'usage: npm run restore -- FILE [--data-dir DIR]   (or node dist/apps/api/restore.js FILE [--data-dir DIR])';

/** `npm run restore`: a backup into an empty DATA_DIR and an empty database (DATABASE_URL) or a new embedded one. */
runCli('restore', USAGE, async () => {
  const { values, positional } = parseArgs(process.argv.slice(2), ['data-dir']);
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'FILE is required' : 'one FILE only');
  const dataDir = values.get('data-dir');
  const loaded = loadConfig();
  const config = dataDir === undefined ? loaded : { ...loaded, dataDir: resolve(dataDir) };
  const { manifest, upgradedWith, leftOut } = await restoreBackup(config, resolve(positional[0]));
  const rows = manifest.tables.reduce((total, table) => total + table.rows, 0);
  return (
    `Restored the backup of ${manifest.createdAt} (Aegis ${manifest.aegisVersion}) into ${config.dataDir}` +
    `${config.databaseUrl ? ' and DATABASE_URL' : ''}: ${rows} rows, ${manifest.files.filter((entry) => entry.path.startsWith('files/')).length} files` +
    (upgradedWith.length ? `; then applied ${upgradedWith.join(', ')}` : '') +
    (leftOut.length ? `\nLeft out (no such column in this database, e.g. pgvector missing): ${leftOut.join(', ')}` : '')
  );
});
