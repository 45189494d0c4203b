import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { type LinkFlipper, startLinkFlipper } from '@aegis/testing';
import fc from 'fast-check';
import type { ExecutionRequest, ExecutionResult } from '../executor.types';
import { createToolCatalog } from './tool-catalog';

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('file tools', () => {
  const base = mkdtempSync(join(tmpdir(), 'aegis-file-tools-'));
  const workspace = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(join(workspace, 'docs', 'deep'), { recursive: true });
  mkdirSync(join(workspace, 'repo', '.git'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET needle\n');
  writeFileSync(join(workspace, 'docs', 'a.txt'), 'alpha needle\nbeta\nNeedle gamma\n');
  writeFileSync(join(workspace, 'docs', 'deep', 'b.md'), 'one\nfind.*me literally\n');
  writeFileSync(
    join(workspace, 'docs', 'image.bin'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65]),
  );
  writeFileSync(join(workspace, 'repo', '.git', 'config'), 'needle in git config\n');
  writeFileSync(join(workspace, 'utf8.txt'), 'héllo wörld €');
  symlinkSync(join(outside, 'secret.txt'), join(workspace, 'escape-link'));
  symlinkSync(outside, join(workspace, 'escape-dir'));
  symlinkSync(join(workspace, 'docs'), join(workspace, 'inner-link'));

  const calls: ExecutionRequest[] = [];
  const catalog = createToolCatalog({
    workspaceDir: workspace,
    runner: {
      execute(request: ExecutionRequest): Promise<ExecutionResult> {
        calls.push(request);
        return Promise.reject(new Error('file tools run no program'));
      },
    },
    containerAllowlist: [],
    systemdUnitAllowlist: [],
    aptEnabled: false,
  });
  const run = (name: string, args: unknown, role = Role.Admin) => catalog.run(name, args, { role });

  afterAll(() => rmSync(base, { recursive: true, force: true }));
  afterEach(() => expect(calls).toEqual([]));

  describe('path confinement', () => {
    const escapes = [
      '..',
      '../outside/secret.txt',
      'docs/../../outside/secret.txt',
      '/etc/passwd',
      '/etc',
      outside,
      'escape-link',
      'escape-dir/secret.txt',
      'escape-dir',
      './docs/../../outside',
    ];

    it.each(escapes)('list_directory, read_file, search_files, write_file and disk_usage refuse %j', async (path) => {
      for (const [name, args] of [
        ['list_directory', { path }],
        ['read_file', { path }],
        ['search_files', { path, pattern: 'needle' }],
        ['write_file', { path, content: 'pwned' }],
        ['disk_usage', { path }],
        ['git_status', { repo: path }],
        ['execute_command', { command: 'ls', cwd: path }],
      ] as const) {
        await expect(run(name, args)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
      }
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('TOP-SECRET needle\n');
    });

    it('never reads a byte from outside the workspace, whatever the path (property)', async () => {
      const segment = fc.constantFrom(
        '..',
        '.',
        'docs',
        'deep',
        'a.txt',
        'escape-link',
        'escape-dir',
        'inner-link',
        'outside',
        'secret.txt',
        '',
        '...',
        '%2e%2e',
      );
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), async (segments, absolute) => {
          const path = (absolute ? `${workspace}/` : '') + segments.join('/');
          if (path === '' || path.startsWith('-')) return;
          const outcome = await run('read_file', { path }).catch((error: unknown) => error);
          if (outcome instanceof Error) {
            expect(['PATH_OUTSIDE_WORKSPACE', 'NOT_FOUND', 'VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE']).toContain(
              (outcome as Error & { code: string }).code,
            );
          } else {
            expect(JSON.stringify(outcome)).not.toContain('TOP-SECRET');
          }
        }),
        { numRuns: 300 },
      );
    });

    it('follows a symbolic link that stays inside the workspace', async () => {
      await expect(run('read_file', { path: 'inner-link/a.txt' })).resolves.toMatchObject({ output: { path: 'docs/a.txt' } });
    });
  });

  describe('list_directory', () => {
    it('lists names, types and sizes, sorted, without following links', async () => {
      const { output } = (await run('list_directory', {})) as {
        output: { path: string; entries: { name: string; type: string; size: number }[]; truncated: boolean };
      };
      expect(output.path).toBe('.');
      expect(output.truncated).toBe(false);
      expect(output.entries.map((entry) => [entry.name, entry.type])).toEqual([
        ['docs', 'directory'],
        ['escape-dir', 'symlink'],
        ['escape-link', 'symlink'],
        ['inner-link', 'symlink'],
        ['repo', 'directory'],
        ['utf8.txt', 'file'],
      ]);
      expect(output.entries.find((entry) => entry.name === 'utf8.txt')?.size).toBe(Buffer.byteLength('héllo wörld €'));
    });

    it('refuses a file (VALIDATION_FAILED) and a missing folder (NOT_FOUND)', async () => {
      await expect(run('list_directory', { path: 'utf8.txt' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: "'utf8.txt' is not a directory",
      });
      await expect(run('list_directory', { path: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: "'nope' does not exist" });
    });
  });

  describe('read_file', () => {
    it('returns UTF-8 text and its size', async () => {
      await expect(run('read_file', { path: 'docs/a.txt' }, Role.Viewer)).resolves.toEqual({
        output: { path: 'docs/a.txt', size: 31, content: 'alpha needle\nbeta\nNeedle gamma\n', truncated: false },
      });
    });

    it('cuts at maxBytes without splitting a character, and says so', async () => {
      // 'héllo wörld €': é and ö are 2 bytes, € is 3; byte 14 falls inside €.
      await expect(run('read_file', { path: 'utf8.txt', maxBytes: 14 })).resolves.toEqual({
        output: { path: 'utf8.txt', size: 17, content: 'héllo wörld ', truncated: true },
      });
    });

    it('refuses a FIFO without blocking on it', async () => {
      execFileSync('mkfifo', [join(workspace, 'docs', 'pipe')]);
      await expect(run('read_file', { path: 'docs/pipe' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: "'docs/pipe' is not a regular file",
      });
      await expect(run('write_file', { path: 'docs/pipe', content: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(run('search_files', { path: 'docs', pattern: 'needle' })).resolves.toMatchObject({
        output: { matches: [{ path: 'docs/a.txt' }] },
      });
      rmSync(join(workspace, 'docs', 'pipe'));
    });

    it('refuses binary files, folders and missing files', async () => {
      await expect(run('read_file', { path: 'docs/image.bin' })).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      await expect(run('read_file', { path: 'docs' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: "'docs' is a directory",
      });
      await expect(run('read_file', { path: 'docs/missing.txt' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('search_files', () => {
    it('matches plain text, not regular expressions, outside .git and binary files, not through links', async () => {
      await expect(run('search_files', { pattern: 'needle' }, Role.Viewer)).resolves.toMatchObject({
        output: { matches: [{ path: 'docs/a.txt', line: 1, text: 'alpha needle' }], truncated: false },
      });
      await expect(run('search_files', { pattern: 'find.*me' })).resolves.toMatchObject({
        output: { matches: [{ path: 'docs/deep/b.md', line: 2, text: 'find.*me literally' }] },
      });
      await expect(run('search_files', { pattern: 'f.*e' })).resolves.toMatchObject({ output: { matches: [] } });
    });

    it('ignores case on request, limits results, and searches one file', async () => {
      await expect(run('search_files', { pattern: 'NEEDLE', ignoreCase: true })).resolves.toMatchObject({
        output: {
          matches: [
            { path: 'docs/a.txt', line: 1 },
            { path: 'docs/a.txt', line: 3 },
          ],
        },
      });
      await expect(run('search_files', { pattern: 'e', maxResults: 2 })).resolves.toMatchObject({
        output: { truncated: true, matches: [{}, {}] },
      });
      await expect(run('search_files', { path: 'docs/deep/b.md', pattern: 'one' })).resolves.toMatchObject({
        output: { matches: [{ path: 'docs/deep/b.md', line: 1, text: 'one' }], filesSearched: 1 },
      });
    });
  });

  describe('write_file', () => {
    it('creates a file: no previous content, the new hash, a rollback that deletes it', async () => {
      const outcome = await run('write_file', { path: 'docs/new.txt', content: 'fresh\n' });
      expect(outcome).toEqual({
        output: {
          path: 'docs/new.txt',
          created: true,
          bytesWritten: 6,
          previousContent: null,
          previousSha256: null,
          newSha256: sha('fresh\n'),
        },
        verification: { verified: true, detail: `the file now has sha256 ${sha('fresh\n')}` },
        rollback: {
          kind: 'restore_file',
          path: 'docs/new.txt',
          previousContent: null,
          previousSha256: null,
          currentSha256: sha('fresh\n'),
        },
      });
      expect(readFileSync(join(workspace, 'docs', 'new.txt'), 'utf8')).toBe('fresh\n');
    });

    it('replaces a file, returning its previous content and both hashes, keeping its mode', async () => {
      writeFileSync(join(workspace, 'docs', 'config.ini'), 'port=1\n');
      chmodSync(join(workspace, 'docs', 'config.ini'), 0o640);
      const outcome = await run('write_file', { path: 'docs/config.ini', content: 'port=2\n', expectedSha256: sha('port=1\n') });
      expect(outcome).toMatchObject({
        output: { created: false, previousContent: 'port=1\n', previousSha256: sha('port=1\n'), newSha256: sha('port=2\n') },
        verification: { verified: true },
        rollback: { kind: 'restore_file', path: 'docs/config.ini', previousContent: 'port=1\n', currentSha256: sha('port=2\n') },
      });
      expect(readFileSync(join(workspace, 'docs', 'config.ini'), 'utf8')).toBe('port=2\n');
      expect(statSync(join(workspace, 'docs', 'config.ini')).mode & 0o777).toBe(0o640);
    });

    it('refuses when the file no longer has the expected hash (CONFLICT) and leaves it alone', async () => {
      writeFileSync(join(workspace, 'docs', 'race.txt'), 'theirs');
      await expect(run('write_file', { path: 'docs/race.txt', content: 'mine', expectedSha256: sha('base') })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(run('write_file', { path: 'docs/absent.txt', content: 'mine', expectedSha256: sha('base') })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(readFileSync(join(workspace, 'docs', 'race.txt'), 'utf8')).toBe('theirs');
    });

    it('writes through an inner link to its target and keeps the link', async () => {
      await run('write_file', { path: 'inner-link/linked.txt', content: 'via link' });
      expect(readFileSync(join(workspace, 'docs', 'linked.txt'), 'utf8')).toBe('via link');
    });

    it.each([
      ['.', 'VALIDATION_FAILED'],
      ['docs', 'VALIDATION_FAILED'],
      ['repo/.git/config', 'FORBIDDEN'],
      ['repo/.git/hooks/post-merge', 'FORBIDDEN'],
      ['missing-folder/file.txt', 'NOT_FOUND'],
      ['docs/image.bin', 'UNSUPPORTED_MEDIA_TYPE'],
    ])('refuses %j (%s)', async (path, code) => {
      await expect(run('write_file', { path, content: 'x' })).rejects.toMatchObject({ code });
    });

    it('replaces atomically: concurrent readers see the old or the new content, never part of one', async () => {
      const path = join(workspace, 'docs', 'big.txt');
      const versions = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(512 * 1024));
      writeFileSync(path, versions[0]);
      const seen = new Set<string>();
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const text = await readFile(path, 'utf8');
          seen.add(text.length === versions[0].length && new Set(text).size === 1 ? text[0] : `torn:${text.length}`);
        }
      })();
      for (let round = 1; round <= 12; round++) await run('write_file', { path: 'docs/big.txt', content: versions[round % 4] });
      writing = false;
      await reader;
      expect([...seen].filter((entry) => entry.startsWith('torn'))).toEqual([]);
      expect(readdirSync(join(workspace, 'docs')).filter((name) => name.includes('aegis-tmp'))).toEqual([]);
    });
  });

  describe('a folder swapped for a link to outside while the tools run (race)', () => {
    const flipped = join(workspace, 'flip');
    let flipper: LinkFlipper;

    beforeAll(() => {
      mkdirSync(flipped);
      writeFileSync(join(flipped, 'secret.txt'), 'decoy needle\n');
      flipper = startLinkFlipper(flipped, outside);
    });

    afterAll(async () => {
      await flipper.stop();
      for (const name of ['flip', '.flip-stash', '.flip-link']) rmSync(join(workspace, name), { recursive: true, force: true });
    });

    it.each([
      ['read_file', { path: 'flip/secret.txt' }],
      ['list_directory', { path: 'flip' }],
      ['search_files', { path: 'flip', pattern: 'needle' }],
      ['write_file', { path: 'flip/secret.txt', content: 'pwned' }],
      ['write_file', { path: 'flip/created.txt', content: 'pwned' }],
    ] as const)('%s %j never reaches outside', async (name, args) => {
      const failures = new Set<string>();
      for (let round = 0; round < 200; round++) {
        const outcome = await run(name, args).catch((error: unknown) => error);
        if (outcome instanceof Error) failures.add((outcome as Error & { code?: string }).code ?? outcome.message);
        else expect(JSON.stringify(outcome)).not.toMatch(/TOP-SECRET|"size":18,/);
      }
      expect([...failures].filter((code) => !['NOT_FOUND', 'PATH_OUTSIDE_WORKSPACE'].includes(code))).toEqual([]);
      expect(readdirSync(outside).sort()).toEqual(['secret.txt']);
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('TOP-SECRET needle\n');
    });
  });

  it('searches at most 256 folders deep, and says the result is truncated', async () => {
    const deepest = join(workspace, 'tower', ...Array.from({ length: 257 }, () => 'x'));
    mkdirSync(deepest, { recursive: true });
    writeFileSync(join(deepest, 'bottom.txt'), 'needle at the bottom\n');
    writeFileSync(join(workspace, 'tower', 'top.txt'), 'needle at the top\n');
    const { output } = (await run('search_files', { path: 'tower', pattern: 'needle' })) as {
      output: { matches: { path: string }[]; truncated: boolean };
    };
    expect(output).toMatchObject({ matches: [{ path: 'tower/top.txt' }], truncated: true });
    expect(existsSync(join(deepest, 'bottom.txt'))).toBe(true);
    rmSync(join(workspace, 'tower'), { recursive: true, force: true });
  });
});
