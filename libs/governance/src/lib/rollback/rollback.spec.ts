import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass } from '@aegis/contracts';
import { startLinkFlipper } from '@aegis/testing';
import type { ToolOutcome } from '@aegis/sandbox-executor';
import { parseRollbackRecord, rollbackAvailability, undo, type UndoContext } from './rollback';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('rollback', () => {
  it('says up front what can be undone and why not', () => {
    const restore = {
      kind: 'restore_file' as const,
      path: 'a.txt',
      previousContent: 'old',
      previousSha256: sha('old'),
      currentSha256: sha('new'),
    };
    expect(rollbackAvailability('write_file', ActionClass.Sensitive, restore)).toEqual({
      available: true,
      kind: 'restore_file',
      reason: "undo restores the previous content of 'a.txt'",
    });
    expect(
      rollbackAvailability('write_file', ActionClass.Sensitive, { ...restore, previousContent: null, previousSha256: null }).reason,
    ).toBe("undo deletes the created file 'a.txt'");
    expect(rollbackAvailability('apt_install', ActionClass.Critical, { kind: 'apt_remove', packages: ['curl'] })).toMatchObject({
      available: false,
      kind: 'apt_remove',
      reason: expect.stringMatching(/remove them by hand/) as unknown,
    });
    expect(rollbackAvailability('docker_restart', ActionClass.Moderate, null)).toEqual({
      available: false,
      reason: 'a restart cannot be undone (restart the container again if needed)',
    });
    expect(rollbackAvailability('read_file', ActionClass.Read, null)).toEqual({
      available: false,
      reason: 'nothing to undo: this action changes nothing',
    });
    expect(rollbackAvailability('future_tool', ActionClass.Sensitive, null).reason).toBe('the tool recorded no way to undo this action');
  });

  it('reads back only well-formed records', () => {
    expect(
      parseRollbackRecord({ kind: 'git_reset', repo: 'app', previousHead: 'a'.repeat(40), currentHead: 'b'.repeat(40) }),
    ).not.toBeNull();
    expect(
      parseRollbackRecord({ kind: 'git_reset', repo: 'app', previousHead: '--upload-pack=x', currentHead: 'b'.repeat(40) }),
    ).toBeNull();
    expect(parseRollbackRecord({ kind: 'rm_rf' })).toBeNull();
    expect(parseRollbackRecord(null)).toBeNull();
  });

  describe('of a file', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'aegis-rollback-'));
    const calls: unknown[] = [];
    const context: UndoContext = {
      workspaceDir: workspace,
      runner: { execute: () => Promise.reject(new Error('no command should run')) },
      runTool: (name, args) => {
        calls.push({ name, args });
        return Promise.resolve<ToolOutcome>({ output: {}, verification: { verified: true, detail: 'ok' } });
      },
      justification: 'rollback of action x',
    };

    it('restores previous content through write_file, guarded by the hash the action left', async () => {
      const record = {
        kind: 'restore_file' as const,
        path: 'a.txt',
        previousContent: 'old\r\n',
        previousSha256: sha('old\r\n'),
        currentSha256: sha('new'),
      };
      await expect(undo(record, context)).resolves.toMatch(/^restored the previous content of 'a.txt'/);
      expect(calls).toEqual([{ name: 'write_file', args: { path: 'a.txt', content: 'old\r\n', expectedSha256: sha('new') } }]);
    });

    it('deletes a created file only while it still has the written content', async () => {
      writeFileSync(join(workspace, 'created.txt'), 'new');
      const record = {
        kind: 'restore_file' as const,
        path: 'created.txt',
        previousContent: null,
        previousSha256: null,
        currentSha256: sha('new'),
      };
      writeFileSync(join(workspace, 'created.txt'), 'changed by someone');
      await expect(undo(record, context)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(existsSync(join(workspace, 'created.txt'))).toBe(true);
      writeFileSync(join(workspace, 'created.txt'), 'new');
      await expect(undo(record, context)).resolves.toBe("deleted 'created.txt', which the action had created");
      expect(existsSync(join(workspace, 'created.txt'))).toBe(false);
      await expect(undo(record, context)).rejects.toMatchObject({ code: 'ROLLBACK_UNAVAILABLE' });
    });

    it('never leaves the workspace', async () => {
      const record = {
        kind: 'restore_file' as const,
        path: '../outside.txt',
        previousContent: null,
        previousSha256: null,
        currentSha256: sha('x'),
      };
      await expect(undo(record, context)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    });

    it('never deletes a file outside through a folder swapped for a link while it checks (race)', async () => {
      const base = mkdtempSync(join(tmpdir(), 'aegis-rollback-race-'));
      const raceWorkspace = join(base, 'workspace');
      const outside = join(base, 'outside');
      mkdirSync(join(raceWorkspace, 'd'), { recursive: true });
      mkdirSync(outside);
      // Same content as the action wrote, so only the path check stands between undo and this file.
      writeFileSync(join(outside, 'made.txt'), 'written by the action');
      const flipper = startLinkFlipper(join(raceWorkspace, 'd'), outside);
      const record = {
        kind: 'restore_file' as const,
        path: 'd/made.txt',
        previousContent: null,
        previousSha256: null,
        currentSha256: sha('written by the action'),
      };
      const outcomes = new Set<string>();
      try {
        for (let round = 0; round < 300 && existsSync(join(outside, 'made.txt')); round++) {
          outcomes.add(
            await undo(record, { ...context, workspaceDir: raceWorkspace }).catch(
              (error: unknown) => (error as { code?: string }).code ?? String(error),
            ),
          );
        }
      } finally {
        await flipper.stop();
      }
      expect(existsSync(join(outside, 'made.txt'))).toBe(true);
      expect([...outcomes].filter((outcome) => !['ROLLBACK_UNAVAILABLE', 'PATH_OUTSIDE_WORKSPACE', 'CONFLICT'].includes(outcome))).toEqual(
        [],
      );
    }, 30_000);

    it('refuses to remove packages', async () => {
      await expect(undo({ kind: 'apt_remove', packages: ['curl'] }, context)).rejects.toMatchObject({ code: 'ROLLBACK_UNAVAILABLE' });
    });
  });
});
