// npm start: install if needed, build the API and the web app, then run both on one port.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installIfNeeded, requireNode, root, run } from './lib.mjs';

requireNode();
installIfNeeded();
run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'web', '--output-style=static']);

const server = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps/api/main.js')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
