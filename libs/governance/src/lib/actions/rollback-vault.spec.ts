import type { RollbackRecord } from '@aegis/sandbox-executor';
import { GovernanceException } from '../governance.exception';
import { RollbackVault } from './rollback-vault';

const SECRET = 'a-jwt-secret-of-at-least-thirty-two-bytes!';
const record: RollbackRecord = {
  kind: 'restore_file',
  path: 'service.env',
  previousContent: 'API_TOKEN=very-secret\n',
  previousSha256: 'a'.repeat(64),
  currentSha256: 'b'.repeat(64),
};

describe('RollbackVault', () => {
  it('seals the previous content so the stored record does not hold it, and opens it again', () => {
    const vault = new RollbackVault(SECRET);
    const stored = vault.seal(record);
    expect(JSON.stringify(stored)).not.toContain('very-secret');
    expect(stored).toMatchObject({ kind: 'restore_file', path: 'service.env', previousContent: null });
    expect(vault.open(JSON.parse(JSON.stringify(stored)))).toEqual(record);
  });

  it('leaves records without content as they are (a created file, git, apt)', () => {
    const vault = new RollbackVault(SECRET);
    const created: RollbackRecord = { ...record, previousContent: null, previousSha256: null };
    expect(vault.open(vault.seal(created))).toEqual(created);
    const git: RollbackRecord = { kind: 'git_reset', repo: 'app', previousHead: 'c'.repeat(40), currentHead: 'd'.repeat(40) };
    expect(vault.open(vault.seal(git))).toEqual(git);
    expect(vault.open(null)).toBeNull();
  });

  it('refuses a record sealed under another secret, or moved to another file', () => {
    const stored = new RollbackVault(SECRET).seal(record);
    expect(() => new RollbackVault(`${SECRET}-rotated`).open(stored)).toThrow(GovernanceException);
    expect(() => new RollbackVault(SECRET).open({ ...stored, path: 'other.env' })).toThrow(/cannot be opened/);
  });
});
