import { constants, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLinkFlipper } from '@aegis/testing';
import { ConfinedDirectory, readUpTo, resolveConfined } from './confined-fs';

const READ = constants.O_RDONLY | constants.O_NONBLOCK;

describe('confined file access', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-confined-')));
  const workspace = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(join(workspace, 'docs', 'deep'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET');
  writeFileSync(join(workspace, 'docs', 'a.txt'), 'inside');
  writeFileSync(join(workspace, 'docs', 'deep', 'b.txt'), 'deeper');
  symlinkSync(outside, join(workspace, 'escape-dir'));
  symlinkSync(join(outside, 'secret.txt'), join(workspace, 'escape-file'));
  symlinkSync('docs/deep', join(workspace, 'relative-link'));
  symlinkSync('../a.txt', join(workspace, 'docs', 'deep', 'up-link'));
  symlinkSync('loop-b', join(workspace, 'loop-a'));
  symlinkSync('loop-a', join(workspace, 'loop-b'));

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  async function readThrough(path: string): Promise<string> {
    const location = await resolveConfined(workspace, path);
    try {
      const { handle, stats } = await location.parent.open(location.name, READ);
      try {
        return (await readUpTo(handle, stats.size)).toString('utf8');
      } finally {
        await handle.close();
      }
    } finally {
      await location.close();
    }
  }

  describe('resolveConfined', () => {
    it.each([
      ['.', '.'],
      ['docs', 'docs'],
      ['docs/deep/b.txt', 'docs/deep/b.txt'],
      ['./docs/../docs/a.txt', 'docs/a.txt'],
      ['docs/not-yet.txt', 'docs/not-yet.txt'],
      ['relative-link/b.txt', 'docs/deep/b.txt'],
      ['docs/deep/up-link', 'docs/a.txt'],
      [join(workspace, 'docs', 'a.txt'), 'docs/a.txt'],
    ])('leads %j to %j, following links that stay inside by hand', async (path, relative) => {
      const location = await resolveConfined(workspace, path);
      try {
        expect(location.relative).toBe(relative);
      } finally {
        await location.close();
      }
    });

    it.each([
      ['..', 'PATH_OUTSIDE_WORKSPACE'],
      ['docs/../../outside/secret.txt', 'PATH_OUTSIDE_WORKSPACE'],
      ['/etc/passwd', 'PATH_OUTSIDE_WORKSPACE'],
      ['escape-dir/secret.txt', 'PATH_OUTSIDE_WORKSPACE'],
      ['escape-file', 'PATH_OUTSIDE_WORKSPACE'],
      ['docs\0/a.txt', 'PATH_OUTSIDE_WORKSPACE'],
      ['missing/a.txt', 'NOT_FOUND'],
      ['docs/a.txt/x', 'NOT_FOUND'],
      ['loop-a', 'VALIDATION_FAILED'],
    ])('refuses %j (%s)', async (path, code) => {
      await expect(resolveConfined(workspace, path)).rejects.toMatchObject({ code });
    });

    it('leaves no descriptor open, whatever the outcome', async () => {
      const before = readdirSync('/proc/self/fd').length;
      for (let round = 0; round < 20; round++) {
        await (await resolveConfined(workspace, 'docs/deep/b.txt')).close();
        await resolveConfined(workspace, 'escape-dir/secret.txt').catch(() => undefined);
        await resolveConfined(workspace, 'loop-a').catch(() => undefined);
        await resolveConfined(workspace, 'missing/a.txt').catch(() => undefined);
      }
      expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(before);
    });
  });

  describe('after the check', () => {
    it('a link swapped in at the last name is not followed (ELOOP)', async () => {
      writeFileSync(join(workspace, 'docs', 'swap.txt'), 'inside');
      const location = await resolveConfined(workspace, 'docs/swap.txt');
      try {
        rmSync(join(workspace, 'docs', 'swap.txt'));
        symlinkSync(join(outside, 'secret.txt'), join(workspace, 'docs', 'swap.txt'));
        await expect(location.parent.open(location.name, READ)).rejects.toMatchObject({ code: 'ELOOP' });
      } finally {
        await location.close();
        rmSync(join(workspace, 'docs', 'swap.txt'));
      }
    });

    it('a folder on the way swapped for a link changes nothing: the open folder is used, not its name', async () => {
      mkdirSync(join(workspace, 'held'));
      writeFileSync(join(workspace, 'held', 'secret.txt'), 'the held folder');
      const location = await resolveConfined(workspace, 'held/secret.txt');
      try {
        renameSync(join(workspace, 'held'), join(workspace, 'held-away'));
        symlinkSync(outside, join(workspace, 'held'));
        const { handle } = await location.parent.open(location.name, READ);
        await expect(handle.readFile('utf8')).resolves.toBe('the held folder');
        await handle.close();
      } finally {
        await location.close();
      }
    });

    it('a folder moved out of the workspace after it was opened is refused (its real path is checked)', async () => {
      mkdirSync(join(workspace, 'mover'));
      writeFileSync(join(workspace, 'mover', 'file.txt'), 'x');
      const location = await resolveConfined(workspace, 'mover/file.txt');
      try {
        renameSync(join(workspace, 'mover'), join(outside, 'moved'));
        await expect(location.parent.open(location.name, READ)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
      } finally {
        await location.close();
      }
    });

    it('names are single components', async () => {
      const root = await ConfinedDirectory.openRoot(workspace, '.');
      try {
        for (const name of ['..', 'docs/a.txt', '', 'a\0b']) expect(() => root.pathOf(name)).toThrow('not one path component');
        expect(root.pathOf('docs')).toBe(`/proc/self/fd/${root.handle.fd}/docs`);
      } finally {
        await root.close();
      }
    });
  });

  it('never reads outside while another process flips a folder and a link to outside (race)', async () => {
    mkdirSync(join(workspace, 'd'));
    writeFileSync(join(workspace, 'd', 'secret.txt'), 'decoy');
    const flipper = startLinkFlipper(join(workspace, 'd'), outside);
    const seen = new Set<string>();
    try {
      for (let round = 0; round < 500; round++) {
        seen.add(await readThrough('d/secret.txt').catch((error: unknown) => (error as { code?: string }).code ?? 'unknown'));
      }
    } finally {
      await flipper.stop();
    }
    expect([...seen].filter((outcome) => !['decoy', 'NOT_FOUND', 'PATH_OUTSIDE_WORKSPACE'].includes(outcome))).toEqual([]);
  }, 30_000);
});
