import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Role } from '@aegis/contracts';
import { ExecutorException, type ExecutionRequest, type ExecutionResult } from '../executor.types';
import { createToolCatalog } from './tool-catalog';

describe('system tools', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-system-tools-'));
  const requests: ExecutionRequest[] = [];
  /** Stands in for an executor whose allowlist has no lscpu: what SecureExecutor answers then. */
  const runner = {
    execute(request: ExecutionRequest): Promise<ExecutionResult> {
      requests.push(request);
      return Promise.reject(
        new ExecutorException(ErrorCode.ProgramNotAllowed, `'${request.argv?.[0]}' is not an allowed program for the viewer role`),
      );
    },
  };
  const catalog = createToolCatalog({
    workspaceDir: workspace,
    runner,
    containerAllowlist: [],
    systemdUnitAllowlist: [],
    aptEnabled: false,
  });
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(workspace, { recursive: true, force: true });
  });

  it('network_listeners lists the real listening sockets, this test’s among them', async () => {
    const { output } = (await catalog.run('network_listeners', {}, { role: Role.Viewer })) as {
      output: { listeners: { protocol: string; address: string; port: number }[] };
    };
    expect(output.listeners).toContainEqual(expect.objectContaining({ protocol: 'tcp', address: '127.0.0.1', port }));
    const ports = output.listeners.map((socket) => socket.port);
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
  });

  it('system_info falls back to /proc/cpuinfo when the sandbox may not run lscpu, and says so', async () => {
    const { output } = (await catalog.run('system_info', {}, { role: Role.Viewer })) as {
      output: { cpu: { source: string; logicalCpus: number }; memory: { totalKb: number }; uptimeSeconds: number; notes: string[] };
    };
    expect(requests.map((request) => request.argv)).toEqual([['lscpu']]);
    expect(output.cpu.source).toBe('/proc/cpuinfo');
    expect(output.cpu.logicalCpus).toBeGreaterThan(0);
    expect(output.memory.totalKb).toBeGreaterThan(0);
    expect(output.uptimeSeconds).toBeGreaterThan(0);
    expect(output.notes).toEqual([
      "lscpu unavailable (PROGRAM_NOT_ALLOWED: 'lscpu' is not an allowed program for the viewer role); read /proc/cpuinfo instead",
    ]);
  });
});
