import 'reflect-metadata';
import { ConfigValidationError, loadConfig, resolveGeneratedSecrets } from '@aegis/config';
import { migrateDown, migrateUp, migrationStatus, openDatabase } from '@aegis/database';

const USAGE = 'usage: npm run migrate -- [up | down [steps] | status]';

/** `npm run migrate`: applies (or reverts, or lists) migrations on DATABASE_URL or the embedded database. */
async function main(argv: string[]): Promise<void> {
  const [command = 'up', stepsText = '1'] = argv;
  const steps = Number(stepsText);
  if (!['up', 'down', 'status'].includes(command) || !Number.isInteger(steps) || steps < 1) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = resolveGeneratedSecrets(loadConfig());
  const database = await openDatabase(config);
  try {
    if (command === 'status') {
      for (const migration of await migrationStatus(database)) {
        process.stdout.write(`${migration.applied ? 'applied' : 'pending'}  ${migration.name}\n`);
      }
      return;
    }
    const names = command === 'up' ? await migrateUp(database) : await migrateDown(database, steps);
    const verb = command === 'up' ? 'applied' : 'reverted';
    process.stdout.write(
      names.length ? names.map((name) => `${verb}  ${name}\n`).join('') : `nothing to ${command === 'up' ? 'apply' : 'revert'}\n`,
    );
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof ConfigValidationError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`migrate failed: ${message}\n`);
  process.exit(1);
});
