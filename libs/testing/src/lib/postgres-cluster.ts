import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A throw-away PostgreSQL server in a temp dir, reached over a unix socket. */
export interface PostgresCluster {
  socketDir: string;
  url(database?: string): string;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const fromEnv = process.env['PG_BIN_DIR'];
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries not found (looked in PG_BIN_DIR and /usr/lib/postgresql/*/bin). ' +
      'Install them (Debian: postgresql) — integration tests need a real server and never skip.',
  );
}

/** PostgreSQL refuses to run as root; as root we drop to the `postgres` user with setpriv. */
function asServerUser(argv: string[]): string[] {
  if (process.getuid?.() !== 0) return argv;
  return ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--', ...argv];
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function waitUntilReady(url: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited during start:\n${output()}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not become ready in 30 s: ${String(error)}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** initdb into a temp dir and start `postgres` on a private unix socket (no TCP), tuned for tests. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binDir = findBinDir();
  const baseDir = mkdtempSync(join(tmpdir(), 'aegis-pg-'));
  const dataDir = join(baseDir, 'data');
  const ids = postgresUserIds();
  if (ids) chownSync(baseDir, ids.uid, ids.gid);

  const [initdb, ...initdbArgs] = asServerUser([
    join(binDir, 'initdb'),
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  execFileSync(initdb, initdbArgs, { stdio: 'pipe' });

  let log = '';
  const [postgres, ...serverArgs] = asServerUser([
    join(binDir, 'postgres'),
    '-D',
    dataDir,
    '-k',
    baseDir,
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const server = spawn(postgres, serverArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));

  const url = (database = 'postgres') => `postgres://postgres@localhost/${database}?host=${encodeURIComponent(baseDir)}`;
  await waitUntilReady(url(), server, () => log);

  return {
    socketDir: baseDir,
    url,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT');
        await exited;
      }
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}
