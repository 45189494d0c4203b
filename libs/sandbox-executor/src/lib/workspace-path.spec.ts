import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInWorkspace } from './workspace-path';

describe('resolveInWorkspace', () => {
  const base = mkdtempSync(join(tmpdir(), 'aegis-ws-'));
  const workspace = join(base, 'workspace');
  mkdirSync(join(workspace, 'repo', 'src'), { recursive: true });
  writeFileSync(join(workspace, 'repo', 'README.md'), 'hi');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  symlinkSync(join(base, 'secret.txt'), join(workspace, 'escape-link'));
  symlinkSync(join(workspace, 'repo'), join(workspace, 'inner-link'));

  it.each([
    ['.', ''],
    ['repo/README.md', 'repo/README.md'],
    ['./repo/../repo/src', 'repo/src'],
    ['repo/new-file.txt', 'repo/new-file.txt'],
    ['inner-link/README.md', 'repo/README.md'],
  ])('resolves %j inside the workspace', (path, expected) => {
    expect(resolveInWorkspace(workspace, path)).toBe(join(workspace, expected));
  });

  it('accepts an absolute path inside the workspace', () => {
    expect(resolveInWorkspace(workspace, join(workspace, 'repo'))).toBe(join(workspace, 'repo'));
  });

  it.each(['..', '../secret.txt', 'repo/../../secret.txt', '/etc/passwd', 'escape-link', 'repo\0/x'])('refuses %j', (path) => {
    expect(() => resolveInWorkspace(workspace, path)).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_WORKSPACE' }) as Error);
  });
});
