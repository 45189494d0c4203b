import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_API, startBuiltServer } from '@aegis/testing';

describe('the backup socket of a server on the embedded database', () => {
  it('is private to the server user, streams an export, outlives a client that leaves, and goes away with the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aegis-backup-socket-'));
    chmodSync(dataDir, 0o755);
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_PASSWORD: 'backup-socket-admin-password' };
    const server = await startBuiltServer(env);
    const socketPath = join(dataDir, 'run', 'backup.sock');
    try {
      expect(statSync(socketPath).mode & 0o777).toBe(0o600);

      const client = connect(socketPath);
      const first = await new Promise<string>((resolve, reject) =>
        client.once('data', (chunk: Buffer) => resolve(chunk.toString())).once('error', reject),
      );
      client.destroy();
      expect(first).toMatch(/^M\t[A-Za-z]+\d{13}\n/);

      const out = join(dataDir, 'after-a-client-left.backup');
      const backup = spawnSync(process.execPath, [join(DIST_API, 'backup.js'), '--out', out], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(backup.stderr).toBe('');
      expect(backup.status).toBe(0);
      expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(socketPath)).toBe(false);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
