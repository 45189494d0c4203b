import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isSafeArchivePath } from './tar';

/** The archive's format; a reader refuses any other. */
export const BACKUP_FORMAT = 'aegis-backup/1';
/** The manifest is the archive's last entry, written once every other entry's digest is known. */
export const MANIFEST_PATH = 'manifest.json';
/** Table rows, one JSON object a line (docs/operations.md, "Backups"). */
export const DATABASE_DIR = 'database';
/** DATA_DIR's files (uploads, generated secrets), under their path in DATA_DIR. */
export const FILES_DIR = 'files';

/** Refused input: a damaged or foreign archive, a newer schema, a non-empty target. The CLIs exit with 3. */
export class BackupRefusedError extends Error {}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const archivePath = z.string().refine(isSafeArchivePath, 'unsafe path');

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  aegisVersion: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  source: z.enum(['embedded', 'postgresql']),
  /** The last migration applied to the backed-up database. */
  schemaMigration: z.string().min(1),
  tables: z.array(z.object({ name: z.string().min(1), columns: z.array(z.string().min(1)).min(1), rows: z.number().int().min(0) })),
  files: z.array(z.object({ path: archivePath, size: z.number().int().min(0), sha256: sha256Hex })),
  /** sha256 of the manifest's other fields, as JSON in this order. */
  checksum: sha256Hex,
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type ManifestFile = BackupManifest['files'][number];
export type ManifestTable = BackupManifest['tables'][number];

/** The checksum over every field but `checksum`, serialised in the schema's order. */
export function manifestChecksum(manifest: Omit<BackupManifest, 'checksum'>): string {
  const { format, aegisVersion, createdAt, source, schemaMigration, tables, files } = manifest;
  const canonical = JSON.stringify({ format, aegisVersion, createdAt, source, schemaMigration, tables, files });
  return createHash('sha256').update(canonical).digest('hex');
}

export function tableFile(table: string): string {
  return `${DATABASE_DIR}/${table}.jsonl`;
}

/** Parses and checks a manifest's text; anything wrong is a BackupRefusedError. */
export function parseManifest(text: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupRefusedError('the backup manifest is not JSON');
  }
  const format = typeof json === 'object' && json !== null && 'format' in json ? json.format : undefined;
  if (format !== BACKUP_FORMAT) throw new BackupRefusedError(`not an Aegis backup of a known format (format ${JSON.stringify(format)})`);
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new BackupRefusedError(`the backup manifest is malformed (${parsed.error.issues[0]?.path.join('.')})`);
  if (manifestChecksum(parsed.data) !== parsed.data.checksum) throw new BackupRefusedError('the backup manifest fails its checksum');
  const names = [...parsed.data.tables.map((table) => `table ${table.name}`), ...parsed.data.files.map((file) => file.path)];
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new BackupRefusedError(`the backup manifest lists ${repeated} twice`);
  return parsed.data;
}
