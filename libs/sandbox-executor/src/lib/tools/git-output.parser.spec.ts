import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIT_LOG_FORMAT, parseGitLog, parseGitStatus } from './git-output.parser';

describe('git output parsers', () => {
  it('porcelain v1 -z: branch and tracking, staged, unstaged, untracked, renames, paths with spaces', () => {
    const stdout = [
      '## main...origin/main [ahead 2, behind 1]',
      'M  staged.txt',
      ' M unstaged.txt',
      '?? new file.txt',
      'R  renamed.txt',
      'old name.txt',
      '',
    ].join('\0');
    expect(parseGitStatus(stdout)).toEqual({
      branch: 'main',
      upstream: 'origin/main',
      ahead: 2,
      behind: 1,
      clean: false,
      entries: [
        { index: 'M', workTree: ' ', path: 'staged.txt' },
        { index: ' ', workTree: 'M', path: 'unstaged.txt' },
        { index: '?', workTree: '?', path: 'new file.txt' },
        { index: 'R', workTree: ' ', path: 'renamed.txt', originalPath: 'old name.txt' },
      ],
    });
  });

  it.each([
    ['## No commits yet on main', { branch: 'main', upstream: null }],
    ['## HEAD (no branch)', { branch: null, upstream: null }],
    ['## feature/x', { branch: 'feature/x', upstream: null, ahead: 0, behind: 0 }],
    ['## main...origin/main [gone]', { branch: 'main', upstream: 'origin/main', ahead: 0, behind: 0 }],
  ])('branch line %j', (line, expected) => {
    expect(parseGitStatus(`${line}\0`)).toMatchObject({ ...expected, clean: true, entries: [] });
  });

  it('git log in the unit/record separator format', () => {
    const hash = 'a'.repeat(40);
    expect(parseGitLog(`${hash}\x1fAda Lovelace\x1f2025-01-02T03:04:05+00:00\x1ffix: a | b; c\x1e\n`)).toEqual([
      { hash, author: 'Ada Lovelace', date: '2025-01-02T03:04:05+00:00', subject: 'fix: a | b; c' },
    ]);
    expect(parseGitLog('')).toEqual([]);
  });

  describe('against real git output', () => {
    const repo = mkdtempSync(join(tmpdir(), 'aegis-git-parse-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test User', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    afterAll(() => rmSync(repo, { recursive: true, force: true }));

    it('parses what git status and git log print', () => {
      git('init', '-q', '-b', 'main');
      writeFileSync(join(repo, 'a.txt'), 'one\n');
      git('add', 'a.txt');
      git('commit', '-q', '-m', 'first: with | pipe');
      writeFileSync(join(repo, 'a.txt'), 'two\n');
      writeFileSync(join(repo, 'b c.txt'), 'new\n');
      git('mv', 'a.txt', 'moved.txt');
      const status = parseGitStatus(git('status', '--porcelain=v1', '--branch', '-z', '--untracked-files=normal'));
      expect(status).toMatchObject({ branch: 'main', upstream: null, clean: false });
      expect(status.entries).toEqual(
        expect.arrayContaining([
          { index: 'R', workTree: 'M', path: 'moved.txt', originalPath: 'a.txt' },
          { index: '?', workTree: '?', path: 'b c.txt' },
        ]),
      );
      const [commit] = parseGitLog(git('log', '--no-color', GIT_LOG_FORMAT, '-n', '5'));
      expect(commit).toMatchObject({ author: 'Test User', subject: 'first: with | pipe' });
      expect(commit.hash).toMatch(/^[0-9a-f]{40}$/);
      expect(Number.isNaN(Date.parse(commit.date))).toBe(false);
    });
  });
});
