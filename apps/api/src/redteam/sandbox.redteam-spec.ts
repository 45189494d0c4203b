import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
// The sandbox's uid only, to hand fixtures to the sandbox user: the test runs nothing through the executor.
import { SANDBOX_UID } from '@aegis/governance';
import { inWorkspace, type RedteamServer, type RedteamUser, startRedteamServer } from './redteam-server';

// The sandbox (issue 10, items 1 and 3): git must never run a program a repository names, and
// nothing one user's command leaves in the sandbox may reach another user's command.

interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const HOST_GIT_ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  HOME: '/nonexistent',
};

/** git on the host, as whoever planted the repository before the attack. */
function hostGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: HOST_GIT_ENV, encoding: 'utf8' });
}

/** The sandbox user must be able to write what the host planted. */
function handToSandbox(path: string): void {
  execFileSync('chown', ['-R', `${SANDBOX_UID}:${SANDBOX_UID}`, path]);
}

function codeOf(response: Response): string | undefined {
  return (response.body as { code?: string }).code;
}

function messageOf(response: Response): string {
  return (response.body as { message?: string }).message ?? '';
}

function outputOf(response: Response): CommandOutput {
  return (response.body as { result: { output: CommandOutput } }).result.output;
}

function attacks(driver: 'bwrap' | 'docker'): void {
  let server: RedteamServer;
  const markers = () => readdirSync(inWorkspace(server, 'markers'));

  const run = (who: RedteamUser, command: string, cwd?: string) =>
    server.as(who).post('/api/tools/execute_command/execute', { args: { command, ...(cwd === undefined ? {} : { cwd }) } });
  const tool = (who: RedteamUser, name: string, args: object) => server.as(who).post(`/api/tools/${name}/execute`, { args });

  /** A repository planted in the workspace before the attack (committed once, owned by the sandbox user). */
  function plantRepository(name: string, files: Record<string, string> = {}): string {
    const dir = inWorkspace(server, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    hostGit(dir, 'init', '-q', '-b', 'main');
    hostGit(dir, 'config', 'user.name', 'Planter');
    hostGit(dir, 'config', 'user.email', 'planter@example.com');
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
    hostGit(dir, 'add', '-A');
    hostGit(dir, 'commit', '-q', '-m', 'planted');
    writeFileSync(join(dir, 'a.txt'), 'one\ntwo\n');
    return dir;
  }

  /** Every way an operator reaches git in a repository: execute_command and the git_* tools. */
  async function everyGitDoor(repo: string): Promise<Response[]> {
    const responses: Response[] = [];
    for (const command of [
      'git status',
      'git diff',
      'git log -p -n 1',
      'git add a.txt',
      'git commit --allow-empty -m attack',
      'git checkout -b side',
    ]) {
      responses.push(await run('opal', command, repo));
    }
    responses.push(await tool('opal', 'git_status', { repo }));
    responses.push(await tool('opal', 'git_diff', { repo }));
    responses.push(await tool('opal', 'git_log', { repo }));
    responses.push(await run('vera', 'git status', repo));
    return responses;
  }

  beforeAll(async () => {
    server = await startRedteamServer(driver === 'docker' ? { env: { SANDBOX_DRIVER: 'docker' } } : {});
    mkdirSync(inWorkspace(server, 'markers'), { recursive: true });
    chmodSync(inWorkspace(server, 'markers'), 0o777);
  });

  afterAll(async () => {
    await server?.close();
  });

  afterEach(() => {
    // A marker left by one attack must not be blamed on the next.
    for (const marker of markers()) rmSync(inWorkspace(server, 'markers', marker), { force: true });
  });

  it('an operator cannot make git run a hook with MODERATE commands (item 1)', async () => {
    const repo = plantRepository('hook-chain');
    hostGit(repo, 'add', 'a.txt');
    handToSandbox(repo);
    const chain = [
      'git commit -m "#!/bin/sh" -m "touch X"',
      'cp .git/COMMIT_EDITMSG h.sh',
      'git add --chmod=+x h.sh',
      'git checkout -- h.sh',
      'mv h.sh .git/hooks/pre-commit',
      'git commit --allow-empty -m y',
    ];
    const statuses: number[] = [];
    for (const command of chain) statuses.push((await run('opal', command, 'hook-chain')).status);
    expect(existsSync(join(repo, 'X'))).toBe(false);
    // Each step ran (200, or 409 when the command itself failed) or was refused with a reason (403, 422); none broke the server.
    expect(statuses.filter((status) => ![200, 403, 409, 422].includes(status))).toEqual([]);
    expect(statuses[0]).toBe(200);
  });

  it('git never runs the hooks a repository already has, and still commits (item 1)', async () => {
    const repo = plantRepository('hooked');
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'reference-transaction', 'post-checkout', 'post-index-change']) {
      writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\ntouch /workspace/markers/hook-${hook}\n`, { mode: 0o755 });
    }
    handToSandbox(repo);
    const commit = await run('opal', 'git commit --allow-empty -m quiet', 'hooked');
    expect(commit.status).toBe(200);
    expect(outputOf(commit).exitCode).toBe(0);
    const checkout = await run('opal', 'git checkout -b elsewhere', 'hooked');
    expect(outputOf(checkout).exitCode).toBe(0);
    await tool('opal', 'git_status', { repo: 'hooked' }).expect(200);
    expect(markers()).toEqual([]);
  });

  // Every row has all four values: jest would read a missing one as a done callback.
  const plantedConfigs: [name: string, setting: string, config: string, files: Record<string, string>][] = [
    [
      'filter',
      'filter.evil.clean',
      '[filter "evil"]\n\tclean = touch /workspace/markers/filter\n\tsmudge = touch /workspace/markers/smudge\n',
      { '.gitattributes': '*.txt filter=evil\n' },
    ],
    [
      'diff-driver',
      'diff.evil.command',
      '[diff "evil"]\n\tcommand = touch /workspace/markers/diff\n\ttextconv = touch /workspace/markers/textconv\n',
      { '.gitattributes': '*.txt diff=evil\n' },
    ],
    ['fsmonitor', 'core.fsmonitor', '[core]\n\tfsmonitor = touch /workspace/markers/fsmonitor\n', {}],
    ['pager', 'core.pager', '[core]\n\tpager = touch /workspace/markers/pager\n', {}],
    ['include', 'include.path', '[include]\n\tpath = /workspace/evil-include.cfg\n', {}],
    ['hookspath', 'core.hookspath', '[core]\n\thooksPath = /workspace/evil-hooks\n', {}],
    ['sneaky-syntax', 'core.fsmonitor', '[CORE]\n\tFsMonitor = "touch /workspace/markers/sneaky" \\\n\t\t\n', {}],
  ];

  it.each(plantedConfigs)(
    'git never runs a program a planted .git/config names: %s (item 1)',
    async (name, setting, config, files) => {
      writeFileSync(inWorkspace(server, 'evil-include.cfg'), '[core]\n\tfsmonitor = touch /workspace/markers/include\n');
      mkdirSync(inWorkspace(server, 'evil-hooks'), { recursive: true });
      for (const hook of ['pre-commit', 'post-checkout', 'reference-transaction']) {
        writeFileSync(inWorkspace(server, 'evil-hooks', hook), `#!/bin/sh\ntouch /workspace/markers/hookspath-${hook}\n`, { mode: 0o755 });
      }
      const repo = plantRepository(`config-${name}`, files);
      writeFileSync(
        join(repo, '.git', 'config'),
        `[core]\n\trepositoryformatversion = 0\n\tbare = false\n[user]\n\tname = x\n\temail = x@example.com\n${config}`,
      );
      handToSandbox(repo);
      const responses = await everyGitDoor(`config-${name}`);
      expect(markers()).toEqual([]);
      expect(responses.map((response) => response.status).filter((status) => status >= 500)).toEqual([]);
      const status = responses[0];
      expect(status.status).toBe(422);
      expect(codeOf(status)).toBe('COMMAND_REFUSED');
      expect(messageOf(status)).toContain(setting);
    },
    300_000,
  );

  it('git never follows a gitdir link file or a commondir to a config that names a program (item 1)', async () => {
    const real = plantRepository('linked-real');
    writeFileSync(
      join(real, '.git', 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tfsmonitor = touch /workspace/markers/gitdir-link\n',
    );
    const linked = inWorkspace(server, 'linked');
    rmSync(linked, { recursive: true, force: true });
    mkdirSync(linked);
    writeFileSync(join(linked, '.git'), 'gitdir: ../linked-real/.git\n');
    writeFileSync(join(linked, 'a.txt'), 'changed\n');

    const common = plantRepository('common-real');
    writeFileSync(
      join(common, '.git', 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tfsmonitor = touch /workspace/markers/commondir\n',
    );
    const viaCommon = plantRepository('via-commondir');
    writeFileSync(join(viaCommon, '.git', 'commondir'), '../../common-real/.git\n');

    const worktreeConfig = plantRepository('worktree-config');
    hostGit(worktreeConfig, 'config', 'extensions.worktreeConfig', 'true');
    writeFileSync(join(worktreeConfig, '.git', 'config.worktree'), '[core]\n\tfsmonitor = touch /workspace/markers/config-worktree\n');
    for (const dir of [real, linked, common, viaCommon, worktreeConfig]) handToSandbox(dir);

    const responses = [
      ...(await everyGitDoor('linked')),
      ...(await everyGitDoor('via-commondir')),
      ...(await everyGitDoor('worktree-config')),
    ];
    expect(markers()).toEqual([]);
    expect(responses.map((response) => response.status).filter((status) => status >= 500)).toEqual([]);
    const refused = [responses[0], responses[10], responses[20]];
    expect(refused.map((response) => [response.status, codeOf(response)])).toEqual([
      [422, 'COMMAND_REFUSED'],
      [422, 'COMMAND_REFUSED'],
      [422, 'COMMAND_REFUSED'],
    ]);
    expect(messageOf(refused[0])).toContain('gitdir');
    expect(messageOf(refused[1])).toContain('commondir');
    expect(messageOf(refused[2])).toContain('config.worktree');
  }, 300_000);

  it("a local push does not run the receiving repository's hooks either (item 1)", async () => {
    const upstream = inWorkspace(server, 'hooked-upstream.git');
    rmSync(upstream, { recursive: true, force: true });
    hostGit(server.workspace, 'init', '-q', '--bare', '-b', 'main', 'hooked-upstream.git');
    for (const hook of ['pre-receive', 'update', 'post-receive', 'post-update', 'reference-transaction']) {
      writeFileSync(join(upstream, 'hooks', hook), `#!/bin/sh\ntouch /workspace/markers/remote-${hook}\n`, { mode: 0o755 });
    }
    const repo = plantRepository('pushing');
    hostGit(repo, 'remote', 'add', 'origin', '../hooked-upstream.git');
    handToSandbox(upstream);
    handToSandbox(repo);
    const push = await server.as('root').post('/api/tools/execute_command/execute', {
      args: { command: 'git push origin main', cwd: 'pushing' },
      justification: 'publish the planted commit to the local upstream for the test',
    });
    expect(push.status).toBe(200);
    expect(outputOf(push).exitCode).toBe(0);
    expect(markers()).toEqual([]);

    // The receiving repository's own config names a hooks folder: the push is refused before git starts.
    writeFileSync(
      join(upstream, 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tbare = true\n\thooksPath = /workspace/evil-remote-hooks\n',
    );
    mkdirSync(inWorkspace(server, 'evil-remote-hooks'), { recursive: true });
    writeFileSync(inWorkspace(server, 'evil-remote-hooks', 'pre-receive'), '#!/bin/sh\ntouch /workspace/markers/remote-hookspath\n', {
      mode: 0o755,
    });
    const second = await server.as('root').post('/api/tools/execute_command/execute', {
      args: { command: 'git push origin main', cwd: 'pushing' },
      justification: 'publish the branch again to the local upstream for the test',
    });
    expect([second.status, codeOf(second)]).toEqual([422, 'COMMAND_REFUSED']);
    expect(messageOf(second)).toContain('hooked-upstream.git/config sets core.hookspath');
    expect(markers()).toEqual([]);
  });

  it("nothing one operator leaves in /tmp or HOME is seen or used by another operator's command (item 3)", async () => {
    const repo = plantRepository('clean-repo');
    handToSandbox(repo);
    const evilConfig = '[core]\n\tfsmonitor = touch /workspace/markers/home-gitconfig\n\tpager = touch /workspace/markers/home-pager\n';
    writeFileSync(inWorkspace(server, 'evil.gitconfig'), evilConfig);
    mkdirSync(inWorkspace(server, 'xdg', '.config', 'git'), { recursive: true });
    writeFileSync(inWorkspace(server, 'xdg', '.config', 'git', 'config'), evilConfig);
    // Several times, so every pooled container gets a copy.
    for (let round = 0; round < 4; round++) {
      for (const command of [
        'touch /tmp/opal-was-here',
        'touch /tmp/.opal-dotfile',
        'cp evil.gitconfig /tmp/.gitconfig',
        'cp -r xdg/.config /tmp/',
      ]) {
        const planted = await run('opal', command);
        expect([command, planted.status, planted.status === 200 ? '' : JSON.stringify(planted.body)]).toEqual([command, 200, '']);
      }
    }
    for (let round = 0; round < 4; round++) {
      const listing = await run('otto', 'ls -a /tmp').expect(200);
      expect(
        outputOf(listing)
          .stdout.split('\n')
          .filter((entry) => entry !== '' && entry !== '.' && entry !== '..'),
      ).toEqual([]);
      const status = await run('otto', 'git status', 'clean-repo').expect(200);
      expect(outputOf(status).exitCode).toBe(0);
    }
    expect(markers()).toEqual([]);
  });
}

describe('red team: the sandbox under bubblewrap', () => {
  attacks('bwrap');
});

describe('red team: the sandbox under Docker (pooled containers)', () => {
  attacks('docker');
});
