import { ActionClass } from '@aegis/contracts';
import { RollbackVault } from '../actions/rollback-vault';
import { describeRollback, formatBytes } from './rollback-description';

const vault = new RollbackVault('a-jwt-secret-of-at-least-thirty-two-bytes!');
const base = { tool: 'write_file', actionClass: ActionClass.Sensitive, status: 'completed', rolledBackAt: null, rolledBackByName: null };
const HASH = 'b'.repeat(64);

describe('describeRollback', () => {
  it('says a restore brings the file back with its size, read from the sealed text without opening it', () => {
    const previousContent = 'x'.repeat(1229);
    const rollback = vault.seal({
      kind: 'restore_file',
      path: 'README.md',
      previousContent,
      previousSha256: 'a'.repeat(64),
      currentSha256: HASH,
    });
    expect(JSON.stringify(rollback)).not.toContain(previousContent);
    expect(describeRollback({ ...base, rollback })).toEqual({
      available: true,
      kind: 'restore_file',
      description: "restores 'README.md' as it was before (1.2 KB)",
    });
  });

  it('says an undo deletes a file the action created, and a reset moves HEAD back', () => {
    const created = { kind: 'restore_file', path: 'new.txt', previousContent: null, previousSha256: null, currentSha256: HASH };
    expect(describeRollback({ ...base, rollback: created })).toEqual({
      available: true,
      kind: 'restore_file',
      description: "deletes the created file 'new.txt'",
    });
    const reset = { kind: 'git_reset', repo: 'app', previousHead: 'c'.repeat(40), currentHead: 'd'.repeat(40) };
    expect(describeRollback({ ...base, tool: 'git_pull', rollback: reset }).description).toBe(
      `resets 'app' from ${'d'.repeat(12)} back to ${'c'.repeat(12)} (git reset --keep)`,
    );
  });

  it('says why nothing can be undone: rolled back already, still running, no record, packages', () => {
    const created = { kind: 'restore_file', path: 'new.txt', previousContent: null, previousSha256: null, currentSha256: HASH };
    const at = new Date('2026-05-01T10:00:00Z');
    expect(describeRollback({ ...base, rollback: created, rolledBackAt: at, rolledBackByName: 'root' })).toEqual({
      available: false,
      kind: 'restore_file',
      description: 'already rolled back by root at 2026-05-01T10:00:00.000Z',
    });
    expect(describeRollback({ ...base, status: 'running', rollback: null })).toMatchObject({
      available: false,
      description: 'the action is still running',
    });
    expect(describeRollback({ ...base, tool: 'read_file', actionClass: ActionClass.Read, rollback: null }).description).toBe(
      'nothing to undo: this action changes nothing',
    );
    expect(describeRollback({ ...base, tool: 'docker_restart', rollback: null }).description).toContain('a restart cannot be undone');
    const apt = describeRollback({
      ...base,
      tool: 'apt_install',
      actionClass: ActionClass.Critical,
      rollback: { kind: 'apt_remove', packages: ['jq'] },
    });
    expect(apt).toMatchObject({ available: false, kind: 'apt_remove' });
    expect(apt.description).toContain('jq');
  });

  it('formats sizes in bytes, KB and MB', () => {
    expect([1, 812, 1024, 1229, 5 * 1024 * 1024].map(formatBytes)).toEqual(['1 byte', '812 bytes', '1.0 KB', '1.2 KB', '5.0 MB']);
  });
});
