import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { createHostSystem, type HostCommandResult, type HostProgram, type HostSystem, runHostProgram } from './host-system';
import { normalizeUnitName, parseSystemctlShow } from './systemd.tools';
import { createToolCatalog } from './tool-catalog';

/**
 * systemd cannot run in this test's container (it is not PID 1), so the systemd and apt tools
 * meet a scripted host here: what it checks is the argv they send and what they do with answers.
 * The real host is exercised below and in host.tools.integration-spec.ts.
 */
function scriptedHost(
  answers: (program: HostProgram, args: readonly string[]) => Partial<HostCommandResult>,
): HostSystem & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    systemd: () => ({ available: true }),
    apt: () => ({ available: true }),
    run(program, args) {
      calls.push([program, ...args]);
      return Promise.resolve({
        exitCode: 0,
        stdout: '',
        stderr: '',
        timedOut: false,
        truncated: false,
        durationMs: 1,
        ...answers(program, args),
      });
    },
  };
}

const workspace = mkdtempSync(join(tmpdir(), 'aegis-host-tools-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function catalogWith(host: HostSystem) {
  const runner = { execute: () => Promise.reject(new Error('host tools use no sandbox')) };
  return createToolCatalog({
    workspaceDir: workspace,
    runner,
    containerAllowlist: [],
    systemdUnitAllowlist: ['nginx.service', 'worker'],
    aptEnabled: false,
    host,
  });
}

describe('systemd tools', () => {
  const show = (state: string, started: string) =>
    `Id=nginx.service\nDescription=A web server\nLoadState=loaded\nActiveState=${state}\nSubState=running\nMainPID=42\nExecMainStartTimestamp=${started}\nUnitFileState=enabled\n`;

  it('normalizes unit names as systemctl does', () => {
    expect(normalizeUnitName('nginx')).toBe('nginx.service');
    expect(normalizeUnitName('nginx.service')).toBe('nginx.service');
    expect(normalizeUnitName('backup.timer')).toBe('backup.timer');
    expect(normalizeUnitName('php8.2-fpm')).toBe('php8.2-fpm.service');
    expect(parseSystemctlShow('A=1\nB=x=y\n\nbad')).toEqual({ A: '1', B: 'x=y' });
  });

  it('systemd_status asks systemctl show with a fixed argv and the unit after --', async () => {
    const host = scriptedHost(() => ({ stdout: show('active', 'Mon 2025-01-06 10:00:00 UTC') }));
    await expect(catalogWith(host).run('systemd_status', { unit: 'nginx' }, { role: Role.Viewer })).resolves.toEqual({
      output: {
        unit: 'nginx.service',
        description: 'A web server',
        loadState: 'loaded',
        activeState: 'active',
        subState: 'running',
        mainPid: 42,
        startedAt: 'Mon 2025-01-06 10:00:00 UTC',
        unitFileState: 'enabled',
      },
    });
    expect(host.calls).toEqual([
      [
        'systemctl',
        'show',
        '--no-pager',
        '--no-ask-password',
        '--property=Id,Description,LoadState,ActiveState,SubState,MainPID,ExecMainStartTimestamp,UnitFileState',
        '--',
        'nginx.service',
      ],
    ]);
  });

  it('refuses units off the allowlist (FORBIDDEN) without asking the host', async () => {
    const host = scriptedHost(() => ({}));
    for (const name of ['systemd_status', 'systemd_logs', 'systemd_restart']) {
      await expect(catalogWith(host).run(name, { unit: 'sshd.service' }, { role: Role.Admin })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: "unit 'sshd.service' is not on the systemd unit allowlist",
      });
    }
    expect(host.calls).toEqual([]);
  });

  it('answers NOT_FOUND for an allowlisted unit the host does not have', async () => {
    const host = scriptedHost(() => ({ stdout: 'Id=worker.service\nLoadState=not-found\nActiveState=inactive\n' }));
    await expect(catalogWith(host).run('systemd_status', { unit: 'worker' }, { role: Role.Viewer })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('systemd_logs reads the journal of that unit only', async () => {
    const host = scriptedHost(() => ({ stdout: '2025-01-06T10:00:00+0000 host nginx[42]: started\n' }));
    await expect(catalogWith(host).run('systemd_logs', { unit: 'nginx.service', lines: 5 }, { role: Role.Operator })).resolves.toEqual({
      output: { unit: 'nginx.service', logs: '2025-01-06T10:00:00+0000 host nginx[42]: started\n', truncated: false },
    });
    expect(host.calls).toEqual([['journalctl', '--no-pager', '--output=short-iso', '--lines=5', '--unit=nginx.service']]);
  });

  it('systemd_restart restarts, then verifies the unit is active again', async () => {
    let restarted = false;
    const host = scriptedHost((_program, args) => {
      if (args[0] === 'restart') restarted = true;
      return { stdout: show(restarted ? 'active' : 'failed', restarted ? 'Mon 2025-01-06 11:00:00 UTC' : 'Mon 2025-01-06 10:00:00 UTC') };
    });
    await expect(catalogWith(host).run('systemd_restart', { unit: 'nginx.service' }, { role: Role.Operator })).resolves.toMatchObject({
      output: { activeState: 'active', startedAt: 'Mon 2025-01-06 11:00:00 UTC', previousStartedAt: 'Mon 2025-01-06 10:00:00 UTC' },
      verification: { verified: true, detail: 'the unit is active (running) after the restart' },
    });
    expect(host.calls[1]).toEqual(['systemctl', 'restart', '--no-ask-password', '--', 'nginx.service']);
  });

  it('reports a failed restart with what systemctl said (CONFLICT)', async () => {
    const host = scriptedHost((_program, args) =>
      args[0] === 'restart'
        ? { exitCode: 1, stderr: 'Job for nginx.service failed because the control process exited.' }
        : { stdout: show('active', 'x') },
    );
    await expect(catalogWith(host).run('systemd_restart', { unit: 'nginx.service' }, { role: Role.Operator })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'systemctl restart nginx.service failed (exit 1): Job for nginx.service failed because the control process exited.',
    });
  });
});

describe('apt tools', () => {
  it('apt_install checks names, installs with a fixed argv, verifies with dpkg and records the new packages for rollback', async () => {
    let installed = false;
    const host = scriptedHost((program) => {
      if (program === 'apt-get') {
        installed = true;
        return { stdout: 'Setting up jq (1.6-2.1) ...\n' };
      }
      return {
        exitCode: installed ? 0 : 1,
        stdout: installed ? 'jq install ok installed\ncurl install ok installed\n' : 'curl install ok installed\n',
        stderr: installed ? '' : 'dpkg-query: no packages found matching jq\n',
      };
    });
    await expect(catalogWith(host).run('apt_install', { packages: ['jq', 'curl'] }, { role: Role.Admin })).resolves.toMatchObject({
      output: { exitCode: 0, newlyInstalled: ['jq'], alreadyInstalled: ['curl'] },
      verification: { verified: true, detail: 'dpkg reports installed: jq, curl' },
      rollback: { kind: 'apt_remove', packages: ['jq'] },
    });
    expect(host.calls).toEqual([
      ['dpkg-query', '--show', '--showformat=${Package} ${Status}\\n', '--', 'jq', 'curl'],
      ['apt-get', 'install', '-y', '-q', '--no-install-recommends', '--no-remove', '--', 'jq', 'curl'],
      ['dpkg-query', '--show', '--showformat=${Package} ${Status}\\n', '--', 'jq', 'curl'],
    ]);
  });

  it.each([
    ['bash-'],
    ['coreutils-'],
    ['bash=5.2'],
    ['bash/stable'],
    ['bash:amd64'],
    ['-oAPT::Get::Remove=true'],
    ['--purge'],
    ['Bash'],
    ['b'],
    ['jq '],
  ])('apt_install refuses %j (removal, version, release, architecture, option) without asking the host', async (name) => {
    const host = scriptedHost(() => ({}));
    await expect(catalogWith(host).run('apt_install', { packages: ['jq', name] }, { role: Role.Admin })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(host.calls).toEqual([]);
  });

  it('apt_install accepts plain names, g++ included, and never lets apt-get remove a package', async () => {
    const host = scriptedHost((program) =>
      program === 'dpkg-query' ? { stdout: 'g++ install ok installed\nlibstdc++6 install ok installed\n' } : {},
    );
    await catalogWith(host).run('apt_install', { packages: ['g++', 'libstdc++6', 'python3.11'] }, { role: Role.Admin });
    expect(host.calls[1]).toEqual([
      'apt-get',
      'install',
      '-y',
      '-q',
      '--no-install-recommends',
      '--no-remove',
      '--',
      'g++',
      'libstdc++6',
      'python3.11',
    ]);
  });

  it('apt_update reports a failure as an unverified outcome', async () => {
    const host = scriptedHost(() => ({ exitCode: 100, stderr: 'Temporary failure resolving deb.debian.org' }));
    await expect(catalogWith(host).run('apt_update', {}, { role: Role.Admin })).resolves.toMatchObject({
      output: { exitCode: 100 },
      verification: { verified: false, detail: 'apt-get update failed (exit 100)' },
    });
    expect(host.calls).toEqual([['apt-get', 'update', '-q']]);
  });
});

describe('the real host', () => {
  it('says why systemd or apt cannot be used here', () => {
    const missing = createHostSystem({ aptEnabled: false, systemdRuntimeDir: join(workspace, 'no-such-dir') });
    expect(missing.systemd()).toEqual({ available: false, reason: 'systemd is not available on this host' });
    expect(missing.apt()).toEqual({ available: false, reason: 'apt tools are disabled on this server (APT_TOOLS_ENABLED=false)' });
    const withRuntimeDir = createHostSystem({ aptEnabled: true, systemdRuntimeDir: workspace });
    expect(withRuntimeDir.systemd()).toEqual({ available: true });
    expect(withRuntimeDir.apt().available).toBe(process.getuid?.() === 0);
  });

  it('the catalog answers CAPABILITY_UNAVAILABLE with that reason', async () => {
    const catalog = catalogWith(createHostSystem({ aptEnabled: false, systemdRuntimeDir: join(workspace, 'no-such-dir') }));
    await expect(catalog.run('systemd_status', { unit: 'nginx' }, { role: Role.Viewer })).rejects.toMatchObject({
      code: 'CAPABILITY_UNAVAILABLE',
      message: 'systemd is not available on this host',
    });
    await expect(catalog.run('apt_install', { packages: ['jq'] }, { role: Role.Admin })).rejects.toMatchObject({
      code: 'CAPABILITY_UNAVAILABLE',
      message: 'apt tools are disabled on this server (APT_TOOLS_ENABLED=false)',
    });
  });

  it('runs only the fixed host programs', async () => {
    await expect(runHostProgram('sh' as HostProgram, ['-c', 'id'], { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'PROGRAM_NOT_ALLOWED',
    });
    const result = await runHostProgram('systemctl', ['--version'], { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, truncated: false });
    expect(result.stdout).toMatch(/^systemd \d+/);
  });

  it('stops a host program when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(runHostProgram('systemctl', ['--version'], { timeoutMs: 10_000, signal: controller.signal })).rejects.toThrow('cancelled');
  });
});
