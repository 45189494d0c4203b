import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import type { SandboxRunReport } from './executor.types';
import { SecureExecutor } from './secure-executor';

// How commands ended, as the metrics see them (docs/observability.md "Sandbox"): the real direct driver runs them.

describe('SecureExecutor reports how each command ended', () => {
  const base = mkdtempSync(join(tmpdir(), 'aegis-executor-observer-'));
  const workspace = join(base, 'workspace');
  const reports: SandboxRunReport[] = [];
  const executor = new SecureExecutor(testConfig({ EXECUTE_MODE: 'direct', SANDBOX_TIMEOUT_MS: '5000', WORKSPACE_DIR: workspace }));
  executor.observe({ sandboxRan: (report) => reports.push(report) });
  beforeEach(() => reports.splice(0));
  afterAll(async () => {
    await executor.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('a command that exits 0 or not: the driver, the outcome and the time it ran', async () => {
    await executor.execute({ role: Role.Viewer, argv: ['true'] });
    await executor.execute({ role: Role.Viewer, argv: ['ls', 'no-such-file'] });
    expect(reports).toEqual([
      { driver: 'direct', outcome: 'ok', seconds: expect.any(Number) as unknown },
      { driver: 'direct', outcome: 'nonzero_exit', seconds: expect.any(Number) as unknown },
    ]);
    expect(reports.every((report) => report.seconds !== null && report.seconds >= 0)).toBe(true);
  });

  it('a refusal and a cancelled run never reach a sandbox: no driver, no duration', async () => {
    await expect(executor.execute({ role: Role.Viewer, argv: ['rm', '-rf', '/'] })).rejects.toMatchObject({ code: 'PROGRAM_NOT_ALLOWED' });
    const cancelled = new AbortController();
    cancelled.abort(new Error('stopped'));
    await expect(executor.execute({ role: Role.Viewer, argv: ['true'], signal: cancelled.signal })).rejects.toThrow('stopped');
    expect(reports).toEqual([
      { driver: 'none', outcome: 'refused', seconds: null },
      { driver: 'none', outcome: 'cancelled', seconds: null },
    ]);
  });

  it('no usable sandbox is "unavailable"', async () => {
    const docker = new SecureExecutor(testConfig({ SANDBOX_DRIVER: 'docker', WORKSPACE_DIR: workspace }), {
      dockerSocketPath: '/nonexistent/docker.sock',
    });
    docker.observe({ sandboxRan: (report) => reports.push(report) });
    await expect(docker.execute({ role: Role.Viewer, argv: ['ls'] })).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
    expect(reports).toEqual([{ driver: 'none', outcome: 'unavailable', seconds: null }]);
    await docker.close();
  });

  it('an observer that throws disturbs neither the command nor the other observers', async () => {
    const other = new SecureExecutor(testConfig({ EXECUTE_MODE: 'direct', SANDBOX_TIMEOUT_MS: '5000', WORKSPACE_DIR: workspace }));
    other.observe({
      sandboxRan: () => {
        throw new Error('observer broke');
      },
    });
    other.observe({ sandboxRan: (report) => reports.push(report) });
    expect(await other.execute({ role: Role.Viewer, argv: ['echo', 'still here'] })).toMatchObject({ exitCode: 0, stdout: 'still here\n' });
    expect(reports).toEqual([expect.objectContaining({ outcome: 'ok' })]);
    await other.close();
  });
});
