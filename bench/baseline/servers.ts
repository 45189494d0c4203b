// The servers `npm run bench -- api` measures, each in its own child process: the built Aegis
// (dist/apps/api/main.js, as `npm start` runs it) and the bare NestJS baseline (bare-nest.ts).
// Everything started here registers its clean-up, which runs on success, failure and Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startBuiltServer } from '@aegis/testing';

const ROOT = join(__dirname, '..', '..');
const AEGIS_MAIN = join(ROOT, 'dist', 'apps', 'api', 'main.js');
export const PROFILE_DIR = join(ROOT, 'bench', 'results', 'profiles');
const START_TIMEOUT_MS = 120_000;

/** Clean-ups run last-in first-out, once, whether the bench ends, fails or is interrupted. */
export class Cleanups {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running?: Promise<void>;

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) await Promise.resolve(step()).catch(() => undefined);
    })();
    return this.running;
  }

  /** Ctrl-C or a kill: clean up, then exit with the signal's conventional status. */
  onSignals(): void {
    for (const [signal, status] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(signal, () => void this.run().then(() => process.exit(status)));
    }
  }
}

export interface RunningServer {
  url: string;
  output(): string;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

async function waitFor(child: ChildProcess, ready: () => boolean, output: () => string, what: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`${what} exited during start:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The bench builds nothing: it measures what `npm run build` left in dist/. */
export function requireBuild(): void {
  if (!existsSync(AEGIS_MAIN)) throw new Error(`${AEGIS_MAIN} is missing: run npm run build first`);
}

export interface AegisOptions {
  /** PostgreSQL; without it the server opens the embedded PGlite in its temp DATA_DIR. */
  databaseUrl?: string;
  adminPassword: string;
  /** Profiles the server into PROFILE_DIR/NAME (emptied first): one file per thread, main thread `.0.`, written when it stops. */
  cpuProfileName?: string;
}

/** Starts the built server on a free port with a fresh DATA_DIR, quiet logs, bwrap, and rate limits out of the way. */
export async function startAegis(options: AegisOptions, cleanups: Cleanups): Promise<RunningServer> {
  requireBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-bench-api-'));
  cleanups.add(() => rmSync(dataDir, { recursive: true, force: true }));
  chmodSync(dataDir, 0o755); // the sandbox user must reach the workspace inside it
  const unlimited = '1000000/1';
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: options.adminPassword,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'warn',
    SANDBOX_DRIVER: 'bwrap',
    RATE_LIMIT_LOGIN: unlimited,
    RATE_LIMIT_LOGIN_IP: unlimited,
    RATE_LIMIT_CHAT: unlimited,
    RATE_LIMIT_TOOLS: unlimited,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const profileDir = options.cpuProfileName ? join(PROFILE_DIR, options.cpuProfileName) : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // As `npm start` runs it (scripts/start.mjs); SIGTERM on clean-up closes the database and writes the CPU profile.
  const server = await startBuiltServer(env, { nodeArgs: [...profile, '--enable-source-maps'], cwd: ROOT, timeoutMs: START_TIMEOUT_MS });
  cleanups.add(async () => {
    await server.stop();
  });
  return { url: server.url, output: server.output };
}

/** Starts bench/baseline/bare-nest.ts (through tsx, as the benches run) reading its row from `databaseUrl`. */
export async function startBareNest(databaseUrl: string, cleanups: Cleanups): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'bare-nest.ts'), databaseUrl], {
    cwd: ROOT,
    env: process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.add(() => stopChild(child, 'SIGTERM'));
  let output = '';
  let port = 0;
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    output += `${line}\n`;
    if (line.startsWith('READY ')) port = Number(line.slice(6));
  });
  await waitFor(
    child,
    () => port > 0,
    () => output,
    'the bare Nest baseline',
  );
  return { url: `http://127.0.0.1:${port}`, output: () => output };
}
