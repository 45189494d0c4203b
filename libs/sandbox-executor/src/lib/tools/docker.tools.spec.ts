import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import Dockerode from 'dockerode';
import { demultiplexDockerLog, dockerUnreachableReason } from './docker.tools';
import { createToolCatalog } from './tool-catalog';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('docker tools without a daemon', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-docker-unit-'));
  const runner = { execute: () => Promise.reject(new Error('docker tools use the Docker API, not the sandbox')) };
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('joins stdout and stderr frames of a non-TTY log in order, keeping a cut last frame', () => {
    const log = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]);
    expect(demultiplexDockerLog(log)).toBe('out 1\nerr 1\nout 2\n');
    expect(demultiplexDockerLog(log.subarray(0, log.length - 3))).toBe('out 1\nerr 1\nout');
    expect(demultiplexDockerLog(Buffer.from('plain text, not framed\n'))).toBe('plain text, not framed\n');
    expect(demultiplexDockerLog(Buffer.alloc(0))).toBe('');
  });

  it('says why the daemon is unreachable in words: no socket, no permission, no daemon', () => {
    const failure = (code: string) => Object.assign(new Error(`connect ${code} /run/docker.sock`), { code, address: '/run/docker.sock' });
    expect(dockerUnreachableReason(failure('ENOENT'))).toMatch(/^Docker is not reachable: \/run\/docker\.sock does not exist/);
    expect(dockerUnreachableReason(failure('EACCES'))).toMatch(/^Docker is not reachable: permission denied on \/run\/docker\.sock/);
    expect(dockerUnreachableReason(failure('ECONNREFUSED'))).toMatch(/the Docker daemon is not running \(connect ECONNREFUSED/);
    expect(dockerUnreachableReason(new Error('socket hang up'))).toBe('Docker is not reachable: socket hang up');
  });

  it('answers CAPABILITY_UNAVAILABLE when Docker is not configured', async () => {
    const catalog = createToolCatalog({
      workspaceDir: workspace,
      runner,
      containerAllowlist: ['web'],
      systemdUnitAllowlist: [],
      aptEnabled: false,
    });
    await expect(catalog.run('docker_list', {}, { role: Role.Operator })).rejects.toMatchObject({
      code: 'CAPABILITY_UNAVAILABLE',
      message: 'Docker is not configured on this server',
    });
  });

  it('answers CAPABILITY_UNAVAILABLE when the daemon does not answer', async () => {
    const catalog = createToolCatalog({
      workspaceDir: workspace,
      runner,
      dockerClient: new Dockerode({ socketPath: join(workspace, 'no-docker.sock') }),
      containerAllowlist: ['web'],
      systemdUnitAllowlist: [],
      aptEnabled: false,
    });
    for (const [name, args] of [
      ['docker_list', {}],
      ['docker_logs', { container: 'web' }],
      ['docker_restart', { container: 'web' }],
    ] as const) {
      await expect(catalog.run(name, args, { role: Role.Operator })).rejects.toMatchObject({
        code: 'CAPABILITY_UNAVAILABLE',
        message: expect.stringMatching(
          /^Docker is not reachable: .*no-docker\.sock does not exist; is Docker installed and running.*ENOENT/s,
        ) as string,
      });
    }
  });
});
