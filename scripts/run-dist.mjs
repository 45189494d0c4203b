// npm run start:prod / backup / restore: runs an entry of the built API (dist/apps/api/<entry>.js) in this
// process, without building: `npm run build` once first (or use the image). npm start stays the zero-config start.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { requireNode, root } from './lib.mjs';

requireNode();
const [entry, ...args] = process.argv.slice(2);
const file = join(root, 'dist', 'apps', 'api', `${entry}.js`);
if (!existsSync(file)) {
  process.stderr.write(`${relative(process.cwd(), file) || file} is missing: run npm run build first.\n`);
  process.exit(1);
}
// The entry reads its arguments from process.argv.slice(2), as when Node runs it directly.
process.argv = [process.argv[0], file, ...args];
process.setSourceMapsEnabled(true);
createRequire(import.meta.url)(file);
