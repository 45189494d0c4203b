import { type ChildProcess, spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Another process renames in a tight loop, as a sandboxed command could: the folder becomes a link
// out for a moment, then the folder again. Bounded (5 million rounds) so it ends even if a test dies.
const FLIPPER = `
const { renameSync } = require('node:fs');
const [folder, stash, link] = process.argv.slice(1);
for (let round = 0; round < 5_000_000; round++) {
  renameSync(folder, stash);
  renameSync(link, folder);
  renameSync(folder, link);
  renameSync(stash, folder);
}
`;

export interface LinkFlipper {
  /** False once the flipping process has ended (a race test that outlives it proves nothing). */
  running(): boolean;
  /** Kills the process and waits for it; the folder may be left as the link or beside `.name-stash`. */
  stop(): Promise<void>;
}

/**
 * Swaps `folder` with a symbolic link to `outside` (created beside it as `.name-link`, the folder
 * parked as `.name-stash` meanwhile) over and over in a child process, to race path checks.
 */
export function startLinkFlipper(folder: string, outside: string): LinkFlipper {
  const name = basename(folder);
  const link = join(dirname(folder), `.${name}-link`);
  symlinkSync(outside, link);
  const child: ChildProcess = spawn(process.execPath, ['-e', FLIPPER, folder, join(dirname(folder), `.${name}-stash`), link], {
    stdio: 'ignore',
  });
  return {
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
