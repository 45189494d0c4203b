import { ConfigValidationError } from '@aegis/config';
import { BackupRefusedError } from './backup-manifest';

/** Exit codes of `npm run backup` and `npm run restore` (docs/operations.md, "Backups"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

export class UsageError extends Error {}

/** `--name VALUE` or `--name=VALUE` from argv; the rest are positional. Unknown flags are a UsageError. */
export function parseArgs(argv: string[], flags: string[]): { values: Map<string, string>; positional: string[] } {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (!argument.startsWith('--')) {
      positional.push(argument);
      continue;
    }
    const [name, inline] = argument.slice(2).split(/=(.*)/s, 2);
    if (!flags.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? argv[++index];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  return { values, positional };
}

/** Runs a backup CLI: its one-line error on stderr and the exit code that says what kind of failure it was. */
export function runCli(name: string, usage: string, main: () => Promise<string>): void {
  main()
    .then((summary) => {
      process.stdout.write(`${summary}\n`);
      process.exit(EXIT.ok);
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof UsageError) {
        process.stderr.write(`${name}: ${message}\n${usage}\n`);
        process.exit(EXIT.usage);
      }
      process.stderr.write(`${name} ${error instanceof BackupRefusedError ? 'refused' : 'failed'}: ${message}\n`);
      process.exit(error instanceof BackupRefusedError ? EXIT.refused : error instanceof ConfigValidationError ? EXIT.usage : EXIT.failed);
    });
}
