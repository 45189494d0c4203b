import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** What `npm run build` leaves: dist/apps/api (main.js and the CLIs), dist/apps/smoke, dist/apps/web. */
export const DIST_APPS = join(__dirname, '..', '..', '..', '..', 'dist', 'apps');
export const DIST_API = join(DIST_APPS, 'api');

const BANNER = 'Aegis is running at';

/** A loopback port nobody listens on now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  process: ChildProcess;
  url: string;
  /** stdout and stderr so far. */
  output: () => string;
  /** SIGTERM (the server closes its database and writes any CPU profile), SIGKILL after 15 s; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

export interface BuiltServerOptions {
  /** Node flags before the script, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Another build of the server (default: dist/apps/api/main.js). */
  main?: string;
  cwd?: string;
  timeoutMs?: number;
}

function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(force);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the built server as `npm run start:prod` runs it, on a free port, with only PATH, PORT and `env` as its
 * environment, and resolves once it prints its banner; a server that exits or stays silent is stopped and its output thrown.
 */
export async function startBuiltServer(env: Record<string, string>, options: BuiltServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? join(DIST_API, 'main.js')], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(BANNER)) {
    if (child.exitCode !== null) throw new Error(`the server exited during start:\n${output}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the server did not start in ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { process: child, url: `http://127.0.0.1:${port}`, output: () => output, stop: () => stopChild(child) };
}
