import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import type request from 'supertest';
import { inWorkspace, type RedteamServer, type RedteamUser, startRedteamServer } from './redteam-server';

// Classes from arguments, writes into .git, paths by another name, apt removals (issue 10, items
// 2, 4, 6 and the ".git" rule of item 1): what an operator can do with programs classed by name.

type Schemas = ApiComponents['schemas'];

const JUSTIFICATION = 'Replace the generated file with the reviewed version';
const KEEP = 'the content an operator must not be able to destroy\n';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

describe('red team: classes from arguments, .git and paths', () => {
  let server: RedteamServer;

  /** A file the sandbox user could overwrite (mode 0666), so only governance stands in the way. */
  const plant = (path: string, content: string) => {
    const full = inWorkspace(server, path);
    mkdirSync(full.slice(0, full.lastIndexOf('/')), { recursive: true });
    writeFileSync(full, content);
    chmodSync(full, 0o666);
  };
  const read = (path: string) => (existsSync(inWorkspace(server, path)) ? readFileSync(inWorkspace(server, path), 'utf8') : undefined);
  const run = (who: RedteamUser, command: string, extra: { cwd?: string; justification?: string } = {}) =>
    server.as(who).post('/api/tools/execute_command/execute', {
      args: { command, ...(extra.cwd ? { cwd: extra.cwd } : {}) },
      ...(extra.justification ? { justification: extra.justification } : {}),
    });
  const openWorkspace = () => execFileSync('chmod', ['-R', 'a+rwX', server.workspace]);

  beforeAll(async () => {
    server = await startRedteamServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('a command is classed by what it does with its arguments (item 2)', () => {
    beforeEach(() => {
      plant('empty.txt', '');
      plant('README.md', KEEP);
      plant('source.txt', 'source\n');
      plant('target.txt', KEEP);
      plant('into/source.txt', KEEP);
      plant('keep.txt', KEEP);
      rmSync(inWorkspace(server, 'keep.txt.gz'), { force: true });
    });

    it('an operator cannot empty README.md with `uniq empty.txt README.md`: SENSITIVE, needs an admin', async () => {
      const response = await run('opal', 'uniq empty.txt README.md');
      expect(response.status).toBe(403);
      expect(errorOf(response)).toMatchObject({ code: 'POLICY_DENIED' });
      expect(errorOf(response).message).toContain('SENSITIVE');
      expect(read('README.md')).toBe(KEEP);
    });

    it.each([
      ['sort -o target.txt source.txt', 'target.txt'],
      ['sort --output=target.txt source.txt', 'target.txt'],
      ['cp source.txt target.txt', 'target.txt'],
      ['cp source.txt into', 'into/source.txt'],
      ['cp -t into source.txt', 'into/source.txt'],
      ['mv source.txt target.txt', 'target.txt'],
      ['mv README.md /tmp/gone', 'README.md'],
      ['gzip keep.txt', 'keep.txt'],
      ['tar -cf target.txt source.txt', 'target.txt'],
      ['tar cf target.txt source.txt', 'target.txt'],
      ['uniq source.txt target.txt', 'target.txt'],
      ['git checkout -- target.txt', 'target.txt'],
      ['git checkout target.txt', 'target.txt'],
    ])('an operator cannot overwrite or remove an existing file with `%s`', async (command, victim) => {
      const response = await run('opal', command);
      expect(response.status).toBe(403);
      expect(errorOf(response)).toMatchObject({ code: 'POLICY_DENIED' });
      expect(errorOf(response).message).toContain('SENSITIVE');
      expect(read(victim)).toBe(KEEP);
    });

    it('an operator cannot unpack an archive over the workspace (`tar -xf`): extraction is refused for everyone', async () => {
      plant('payload/target.txt', 'overwritten by the archive\n');
      execFileSync('tar', ['-cf', inWorkspace(server, 'payload.tar'), '-C', inWorkspace(server, 'payload'), 'target.txt']);
      chmodSync(inWorkspace(server, 'payload.tar'), 0o666);
      for (const who of ['opal', 'root'] as const) {
        const response = await run(who, 'tar -xf payload.tar', { justification: JUSTIFICATION });
        expect(response.status).toBe(422);
        expect(errorOf(response)).toMatchObject({ code: 'COMMAND_REFUSED' });
      }
      expect(read('target.txt')).toBe(KEEP);
      // Listing it, or printing it to stdout, writes nothing.
      expect((await run('opal', 'tar -tf payload.tar')).status).toBe(200);
      expect((await run('opal', 'tar -xOf payload.tar')).status).toBe(200);
    });

    it('the same writes onto new names stay MODERATE (an operator runs them), and an admin may overwrite with a justification', async () => {
      expect((await run('opal', 'cp source.txt fresh-copy.txt')).status).toBe(200);
      expect(read('fresh-copy.txt')).toBe('source\n');
      expect((await run('opal', 'sort -o fresh-sorted.txt source.txt')).status).toBe(200);
      expect((await run('opal', 'gzip -k keep.txt')).status).toBe(200);
      expect(read('keep.txt')).toBe(KEEP);
      const reading = await run('opal', 'uniq source.txt');
      expect(reading.status).toBe(200);
      expect((reading.body as Schemas['ExecutedActionDto']).result.actionClass).toBe('READ');
      const admin = await run('root', 'uniq empty.txt README.md', { justification: JUSTIFICATION });
      expect(admin.status).toBe(200);
      expect((admin.body as Schemas['ExecutedActionDto']).result.actionClass).toBe('SENSITIVE');
    });
  });

  describe('no command but git writes inside .git (item 1)', () => {
    const hook = 'repo/.git/hooks/pre-commit';

    beforeAll(() => {
      mkdirSync(inWorkspace(server, 'repo'), { recursive: true });
      execFileSync('git', ['init', '-q', inWorkspace(server, 'repo')]);
      plant('h.sh', '#!/bin/sh\ntouch /workspace/hook-ran\n');
      plant('hooks.tar', '');
      mkdirSync(inWorkspace(server, 'staging/hooks'), { recursive: true });
      writeFileSync(inWorkspace(server, 'staging/hooks/pre-commit'), '#!/bin/sh\ntouch /workspace/hook-ran\n');
      execFileSync('tar', ['-cf', inWorkspace(server, 'hooks.tar'), '-C', inWorkspace(server, 'staging'), 'hooks']);
      // What a committed symlink would check out: a harmless-looking name that leads into .git.
      symlinkSync('repo/.git/hooks', inWorkspace(server, 'hooks-link'));
      openWorkspace();
    });

    it.each([
      ['cp h.sh repo/.git/hooks/pre-commit', undefined],
      ['mv h.sh repo/.git/hooks/pre-commit', undefined],
      ['touch repo/.git/hooks/pre-commit', undefined],
      ['mkdir repo/.git/hooks/pre-commit', undefined],
      ['cp -t repo/.git/hooks h.sh', undefined],
      ['cp --target-directory=repo/.git/hooks h.sh', undefined],
      ['cp -s /workspace/h.sh repo/.git/hooks/pre-commit', undefined],
      ['cp h.sh hooks-link/pre-commit', undefined],
      ['cp /workspace/h.sh pre-commit', 'repo/.git/hooks'],
      ['tar -xf /workspace/hooks.tar', 'repo/.git'],
      ['mv repo/.git stolen-git', undefined],
      ['cp -r repo/.git copied-git', undefined],
      ['touch repo/.GIT', undefined],
    ])('an operator cannot write into .git with `%s` (cwd %s)', async (command, cwd) => {
      const response = await run('opal', command, { cwd });
      expect(response.status).toBe(422);
      expect(errorOf(response)).toMatchObject({ code: 'COMMAND_REFUSED' });
      expect(existsSync(inWorkspace(server, hook))).toBe(false);
      expect(existsSync(inWorkspace(server, 'repo/.git/HEAD'))).toBe(true);
    });

    it('an admin cannot either, even with a justification (the rule is the executor’s, for every caller)', async () => {
      const response = await run('root', 'ln -s /workspace/h.sh repo/.git/hooks/pre-commit', { justification: JUSTIFICATION });
      expect(response.status).toBe(422);
      expect(errorOf(response)).toMatchObject({ code: 'COMMAND_REFUSED' });
      expect(existsSync(inWorkspace(server, hook))).toBe(false);
    });

    it('reading .git and running git itself still work', async () => {
      expect((await run('opal', 'cat repo/.git/HEAD')).status).toBe(200);
      expect((await run('opal', 'git status', { cwd: 'repo' })).status).toBe(200);
    });
  });

  describe('paths that escape by another name (item 4)', () => {
    beforeAll(() => {
      plant('README.md', KEEP);
      openWorkspace();
    });

    it.each([
      ['opal', 'cat /proc/self/root/etc/passwd'],
      ['opal', 'ls /proc/1/cwd'],
      ['opal', 'ls /proc/self/cwd'],
      ['opal', 'cat /proc/self/fd/0'],
      ['opal', 'tar -C/etc -cf /tmp/etc.tar passwd'],
      ['opal', 'tar --directory=/etc -cf /tmp/etc.tar passwd'],
      ['opal', 'tar --directory /etc -cf /tmp/etc.tar passwd'],
      ['opal', 'tar -cf../escaped.tar README.md'],
      ['opal', 'tar -C.. -cf /tmp/up.tar workspace'],
      ['opal', 'file -m README.md:/etc/magic README.md'],
    ] as const)('%s cannot reach outside the workspace with `%s`', async (who, command) => {
      const response = await run(who, command);
      expect(response.status).toBe(422);
      expect(errorOf(response)).toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    });

    it('harmless /proc files stay readable', async () => {
      const response = await run('opal', 'cat /proc/loadavg');
      expect(response.status).toBe(200);
      expect((response.body as Schemas['ExecutedActionDto']).result.actionClass).toBe('READ');
    });
  });

  describe('apt_install cannot remove packages (item 6)', () => {
    it.each([['bash-'], ['coreutils-'], ['bash=5.2'], ['bash/stable'], ['bash:amd64'], ['-oAPT::Get::Remove=true'], ['--purge']])(
      'an admin asking to install %j is refused before any approval request is stored',
      async (name) => {
        const response = await server
          .as('root')
          .post('/api/tools/apt_install/execute', { args: { packages: ['jq', name] }, justification: JUSTIFICATION });
        expect(response.status).toBe(422);
        expect(errorOf(response)).toMatchObject({ code: 'INVALID_ARGUMENTS' });
        const pending = ((await server.as('root').get('/api/approvals?status=pending').expect(200)).body as Schemas['ApprovalListDto'])
          .items;
        expect(pending.filter((item) => JSON.stringify(item.args).includes(JSON.stringify(name)))).toEqual([]);
      },
    );
  });
});

describe('red team: classes from arguments with the Docker sandbox (busybox applets)', () => {
  let server: RedteamServer;
  const plant = (path: string, content: string) => {
    writeFileSync(inWorkspace(server, path), content);
    chmodSync(inWorkspace(server, path), 0o666);
  };
  const run = (command: string) => server.as('opal').post('/api/tools/execute_command/execute', { args: { command } });

  beforeAll(async () => {
    server = await startRedteamServer({ env: { SANDBOX_DRIVER: 'docker' } });
    plant('source.txt', 'b\na\n');
    plant('target.txt', KEEP);
    plant('keep.txt', KEEP);
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['uniq source.txt target.txt'],
    ['sort -o target.txt source.txt'],
    ['cp source.txt target.txt'],
    ['gzip keep.txt'],
    ['tar cf target.txt source.txt'],
  ])('an operator cannot replace or remove an existing file with `%s`', async (command) => {
    const response = await run(command);
    expect(response.status).toBe(403);
    expect(errorOf(response)).toMatchObject({ code: 'POLICY_DENIED' });
    expect(read(server, 'target.txt')).toBe(KEEP);
    expect(read(server, 'keep.txt')).toBe(KEEP);
  });

  it('busybox does what the MODERATE class says: new files only, inputs kept', async () => {
    expect((await run('uniq source.txt fresh-uniq.txt')).status).toBe(200);
    expect(read(server, 'fresh-uniq.txt')).toBe('b\na\n');
    expect((await run('sort -o fresh-sorted.txt source.txt')).status).toBe(200);
    expect(read(server, 'fresh-sorted.txt')).toBe('a\nb\n');
    expect((await run('gzip -k keep.txt')).status).toBe(200);
    expect(read(server, 'keep.txt')).toBe(KEEP);
    expect(existsSync(inWorkspace(server, 'keep.txt.gz'))).toBe(true);
    expect((await run('tar cf fresh.tar source.txt')).status).toBe(200);
    const printed = await run('tar -xOf fresh.tar');
    expect(printed.status).toBe(200);
    expect((printed.body as Schemas['ExecutedActionDto']).result.output).toMatchObject({ stdout: 'b\na\n' });
    const extracted = await run('tar -xf fresh.tar');
    expect(extracted.status).toBe(422);
    expect(errorOf(extracted)).toMatchObject({ code: 'COMMAND_REFUSED' });
  });
});

function read(server: RedteamServer, path: string): string | undefined {
  return existsSync(inWorkspace(server, path)) ? readFileSync(inWorkspace(server, path), 'utf8') : undefined;
}
