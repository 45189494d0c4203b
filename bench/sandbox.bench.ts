// npm run bench -- sandbox: latency of `echo hi` through each sandbox path, ours against the raw tools.
// Targets: the pooled docker driver's median ≤ 0.35 × a hardened `docker run --rm`; the bwrap
// driver's median ≤ 1.2 × the same bwrap command spawned directly.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { testConfig } from '@aegis/testing';
import { Role } from '@aegis/contracts';
import { BwrapDriver, DockerDriver, MAX_OUTPUT_BYTES, SecureExecutor, type SandboxRun } from '@aegis/sandbox-executor';
import { createSandboxWorkspace, ensureSandboxImage, removeSandboxWorkspace } from '../libs/sandbox-executor/src/lib/sandbox-test-fixtures';
import { measure, round, row, report, type Row } from './stats';

const execFileAsync = promisify(execFile);
const RUNS = 60;
const IMAGE = 'aegis-sandbox:local';
const MEMORY_MB = 512;
const CPUS = 0.5;

const workspace = createSandboxWorkspace('aegis-bench-sandbox-');
const echo: SandboxRun = {
  argv: ['echo', 'hi'],
  cwd: workspace,
  workspaceWritable: false,
  timeoutMs: 30_000,
  maxOutputBytes: MAX_OUTPUT_BYTES,
};
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** The flags our docker driver gives every container, as docker CLI options. */
const hardenedFlags = [
  '--network=none',
  `--cpus=${CPUS}`,
  `--memory=${MEMORY_MB}m`,
  `--memory-swap=${MEMORY_MB}m`,
  '--pids-limit=64',
  '--read-only',
  '--cap-drop=ALL',
  '--security-opt=no-new-privileges',
  '--user=65534:65534',
  '--init',
  '--ipc=private',
  '--tmpfs=/tmp:rw,nosuid,nodev,noexec,size=67108864,mode=1777',
  `--mount=type=bind,src=${workspace},dst=/workspace,readonly`,
  '--ulimit=nofile=256:256',
  '--ulimit=core=0:0',
  '--env=PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
  '--env=HOME=/tmp',
  '--workdir=/workspace',
];

/** Like measure(), but round-robin over several candidates: samples[i] belongs to runs[i]. */
async function interleaved(count: number, runs: (() => Promise<unknown>)[], warmup = 3): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const run of runs) await run();
  const samples = runs.map((): number[] => []);
  for (let i = 0; i < count; i++) {
    for (const [index, run] of runs.entries()) {
      const start = process.hrtime.bigint();
      await run();
      samples[index].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return samples;
}

function spawnAndWait(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: '/', env: {}, stdio: ['ignore', 'pipe', 'pipe'], ...asNobody });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 && out === 'hi\n' ? resolve() : reject(new Error(`exit ${code}: ${out}${err}`))));
  });
}

async function docker(...args: string[]): Promise<string> {
  return (await execFileAsync('docker', args, { maxBuffer: 1 << 20 })).stdout;
}

function expectHi(result: { exitCode: number; stdout: string }): void {
  if (result.exitCode !== 0 || result.stdout !== 'hi\n') throw new Error(`unexpected result ${JSON.stringify(result)}`);
}

async function main(): Promise<void> {
  ensureSandboxImage(IMAGE);
  const rows: Row[] = [];
  const notes: string[] = [];

  const bwrap = new BwrapDriver({ workspaceDir: workspace, memoryMb: MEMORY_MB });
  const bwrapAvailability = await bwrap.availability();
  if (!bwrapAvailability.available) throw new Error(`bwrap unavailable: ${bwrapAvailability.reason}`);
  const raw = bwrap.command(echo);
  const bwrapExecutor = new SecureExecutor(
    testConfig({ SANDBOX_DRIVER: 'bwrap', WORKSPACE_DIR: workspace, SANDBOX_MEMORY_MB: String(MEMORY_MB) }),
  );
  // Interleaved, so warm-up and frequency drift hit all three alike.
  const [rawBwrap, ourBwrap, executorBwrap] = await interleaved(RUNS, [
    () => spawnAndWait(raw.file, raw.args),
    async () => expectHi(await bwrap.run(echo)),
    async () => expectHi(await bwrapExecutor.execute({ role: Role.Viewer, command: 'echo hi' })),
  ]);
  await bwrapExecutor.close();

  const dockerDriver = new DockerDriver({ workspaceDir: workspace, image: IMAGE, network: 'none', cpus: CPUS, memoryMb: MEMORY_MB });
  const dockerAvailability = await dockerDriver.availability();
  if (!dockerAvailability.available) throw new Error(`docker unavailable: ${dockerAvailability.reason}`);
  const dockerRun = await measure(RUNS, async () => {
    const out = await docker('run', '--rm', ...hardenedFlags, IMAGE, 'echo', 'hi');
    if (out !== 'hi\n') throw new Error(out);
  });
  const container = (await docker('run', '-d', ...hardenedFlags, IMAGE, '/bin/sleep', '2147483647')).trim();
  const dockerExec = await measure(RUNS, async () => {
    const out = await docker('exec', '--user=65534:65534', '--workdir=/workspace', container, 'echo', 'hi');
    if (out !== 'hi\n') throw new Error(out);
  });
  await docker('rm', '-f', container);
  const dockerExecutor = new SecureExecutor(
    testConfig({ SANDBOX_DRIVER: 'docker', WORKSPACE_DIR: workspace, SANDBOX_MEMORY_MB: String(MEMORY_MB) }),
  );
  const [ourDocker, executorDocker] = await interleaved(RUNS, [
    async () => expectHi(await dockerDriver.run(echo)),
    async () => expectHi(await dockerExecutor.execute({ role: Role.Viewer, command: 'echo hi' })),
  ]);
  await dockerExecutor.close();

  const median = (samples: number[]) => row('', samples).medianMs;
  const bwrapRatio = round(median(ourBwrap) / median(rawBwrap), 2);
  const dockerRatio = round(median(ourDocker) / median(dockerRun), 2);
  rows.push(row('raw bwrap (prlimit + bwrap, same flags)', rawBwrap));
  rows.push(row('BwrapDriver.run', ourBwrap, { ratio: `${bwrapRatio} × raw bwrap`, target: '≤ 1.2', holds: bwrapRatio <= 1.2 }));
  rows.push(row('SecureExecutor (bwrap)', executorBwrap, { ratio: `${round(median(executorBwrap) / median(rawBwrap), 2)} × raw bwrap` }));
  rows.push(row('docker run --rm (hardened, CLI)', dockerRun));
  rows.push(
    row('docker exec (CLI, running container)', dockerExec, { ratio: `${round(median(dockerExec) / median(dockerRun), 2)} × docker run` }),
  );
  rows.push(
    row('DockerDriver.run (pooled exec)', ourDocker, {
      ratio: `${dockerRatio} × docker run`,
      target: '≤ 0.35',
      holds: dockerRatio <= 0.35,
    }),
  );
  rows.push(
    row('SecureExecutor (docker)', executorDocker, { ratio: `${round(median(executorDocker) / median(dockerRun), 2)} × docker run` }),
  );
  notes.push(
    `${RUNS} runs each after 3 warm-up runs (the three bwrap rows interleaved, and the two pooled docker rows); echo hi; memory ${MEMORY_MB} MiB, cpus ${CPUS}; docker storage driver: ${(await docker('info', '--format', '{{.Driver}}')).trim()}`,
  );
  await dockerDriver.close();
  await bwrap.close();
  removeSandboxWorkspace(workspace);
  report('sandbox', rows, notes);
  if (!rows.every((r) => r['holds'] !== false)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
