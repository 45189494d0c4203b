import { BACKUP_FORMAT, type BackupManifest, manifestChecksum, parseManifest } from './backup-manifest';

const DIGEST = 'a'.repeat(64);

function manifest(changes: Partial<Omit<BackupManifest, 'checksum'>> = {}): Omit<BackupManifest, 'checksum'> {
  return {
    format: BACKUP_FORMAT,
    aegisVersion: '0.1.0',
    createdAt: '2026-11-29T12:00:00.000Z',
    source: 'embedded',
    schemaMigration: 'AddApprovalConversationId1795298000000',
    tables: [{ name: 'users', columns: ['id', 'username'], rows: 2 }],
    files: [{ path: 'database/users.jsonl', size: 10, sha256: DIGEST }],
    ...changes,
  };
}

const text = (fields: Omit<BackupManifest, 'checksum'>, checksum = manifestChecksum(fields)) => JSON.stringify({ ...fields, checksum });

describe('the backup manifest', () => {
  it('parses a manifest whose checksum matches', () => {
    expect(parseManifest(text(manifest()))).toEqual({ ...manifest(), checksum: manifestChecksum(manifest()) });
  });

  it('refuses another format, malformed fields, a wrong checksum, unsafe paths and repeated entries', () => {
    expect(() => parseManifest('not json')).toThrow('not JSON');
    expect(() => parseManifest(JSON.stringify({ format: 'tar' }))).toThrow('not an Aegis backup of a known format');
    expect(() => parseManifest(text(manifest({ createdAt: 'yesterday' })))).toThrow('malformed (createdAt)');
    expect(() => parseManifest(text(manifest(), manifestChecksum(manifest({ aegisVersion: '9.9.9' }))))).toThrow('fails its checksum');
    expect(() => parseManifest(text(manifest({ files: [{ path: '../etc/passwd', size: 1, sha256: DIGEST }] })))).toThrow('malformed');
    const twice = manifest({ tables: [manifest().tables[0], manifest().tables[0]] });
    expect(() => parseManifest(text(twice))).toThrow('lists table users twice');
  });
});
