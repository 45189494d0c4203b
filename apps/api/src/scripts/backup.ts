import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '@aegis/config';
import { parseArgs, runCli, UsageError } from '../backup/backup-cli';
import { createBackup } from '../backup/create-backup';

const USAGE = 'usage: npm run backup -- --out FILE   (or node dist/apps/api/backup.js --out FILE)';

/** `npm run backup`: the database, uploads and generated secrets in one checked archive, also while the server runs. */
runCli('backup', USAGE, async () => {
  const { values, positional } = parseArgs(process.argv.slice(2), ['out']);
  const out = values.get('out');
  if (!out || positional.length > 0) throw new UsageError(out ? `unexpected argument ${positional[0]}` : '--out FILE is required');
  const file = resolve(out);
  if (existsSync(file)) throw new UsageError(`${file} exists: name a new file`);
  if (!existsSync(dirname(file))) throw new UsageError(`the folder ${dirname(file)} does not exist`);
  const { manifest, bytes } = await createBackup(loadConfig(), file);
  const rows = manifest.tables.reduce((total, table) => total + table.rows, 0);
  const dataFiles = manifest.files.filter((entry) => entry.path.startsWith('files/')).length;
  return (
    `Backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MiB): ${manifest.source} database, ${rows} rows in ` +
    `${manifest.tables.length} tables, ${dataFiles} files, schema ${manifest.schemaMigration}`
  );
});
