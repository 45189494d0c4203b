// npm run bench [-- NAME ...]: runs bench/NAME.bench.ts (all when no name is given); each prints a
// table and writes bench/results/NAME.json. Speed targets live here, never in timed tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { installIfNeeded, requireNode, root } from './lib.mjs';

requireNode();
installIfNeeded();
const available = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0 || available.length === 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ') || 'none'}\n`);
  process.exit(2);
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : available) {
  process.stdout.write(`\n━━ bench: ${name} ━━\n`);
  // tsx runs the TypeScript with the decorators and @aegis/* paths of tsconfig.base.json (bench/tsconfig.json covers bench/ only).
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', `${name}.bench.ts`)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json') },
  });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
