import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiClient } from './api-client';
import type { SmokeCheck } from './check';
import { approvalCheck } from './checks/approval-check';
import { chatCheck } from './checks/chat-check';
import { healthCheck } from './checks/health-check';
import { catalogueCheck, identityCheck } from './checks/identity-checks';
import { readToolCheck } from './checks/read-tool-check';
import { junitXml } from './junit';
import { parseCommandLine, USAGE } from './options';
import { exitCodeOf, runChecks } from './run-checks';
import { formatSummary } from './summary';

/** The smoke client (docs/smoke.md): checks a running Aegis and answers with an exit code, 0, 1 or 2. */
async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'invalid') {
    process.stderr.write(`aegis smoke: ${parsed.problems.join('\naegis smoke: ')}\nRun with --help for the usage.\n`);
    return 2;
  }
  const { options } = parsed;
  const checks: SmokeCheck[] = [healthCheck, identityCheck, catalogueCheck, readToolCheck, approvalCheck];
  if (options.chat) checks.push(chatCheck);
  const started = new Date();
  const run = await runChecks(checks, { options, api: new ApiClient(options.url, options.timeoutMs, { apiKey: options.apiKey }) });
  process.stdout.write(formatSummary(options.url, run, options.color));
  if (options.junitFile) {
    try {
      mkdirSync(dirname(options.junitFile), { recursive: true });
      writeFileSync(options.junitFile, junitXml(options.url, run, started));
    } catch (error) {
      process.stderr.write(
        `aegis smoke: cannot write the JUnit file ${options.junitFile}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 2;
    }
  }
  return exitCodeOf(run);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`aegis smoke: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
