import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import fc from 'fast-check';
import { DirectDriver } from './drivers/direct.driver';
import type { ExecutionRequest } from './executor.types';
import { CountingDriver } from './sandbox-test-fixtures';
import { SecureExecutor } from './secure-executor';

// Property-based payloads (the hand-written ones are in injection-corpus.spec.ts): every one is refused
// by SecureExecutor before any driver is touched, the counting driver's afterAll says so.

describe('injection corpus: generated payloads', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-corpus-'));
  const config = testConfig({ EXECUTE_MODE: 'direct', NODE_ENV: 'test', WORKSPACE_DIR: workspace });
  const driver = new CountingDriver(new DirectDriver());
  const executor = new SecureExecutor(config, { drivers: { direct: driver } });

  const roles = fc.constantFrom(Role.Viewer, Role.Operator, Role.Admin);
  const safeCommands = fc.constantFrom(
    'ls -la',
    'cat README.md',
    'git status',
    'echo hi',
    'grep -rn x src',
    'find . -type f',
    'du -sh repo',
  );
  /** Refused anywhere, argv elements included. */
  const anywhere = [
    ';',
    '&&',
    '||',
    '|',
    '`',
    '$(',
    '>',
    '<',
    '>>',
    '\n',
    '\r',
    '\0',
    '；',
    '＄(',
    '｜',
    '＆',
    '＞',
    '＜',
    '｀',
    '﹔',
    '\u037e',
    '\u2028',
    '\u200b',
    '\u202e',
    '\t',
  ];
  /** Shell syntax that only means something in a command string (in argv it is a literal character); `#` only starts a comment at a word's start. */
  const commandOnly = ['&', '*', '?', ' #', '$X', '${X}', "$'x'"];
  const operators = fc.constantFrom(...anywhere, ...commandOnly);
  const argvOperators = fc.constantFrom(...anywhere);
  const suffixes = fc.string({ maxLength: 20 });
  const assertRefused = async (request: ExecutionRequest) => {
    await expect(executor.execute(request)).rejects.toMatchObject({ code: expect.any(String) as unknown });
  };

  it('refuses a safe command with any shell operator or look-alike spliced in', async () => {
    await fc.assert(
      fc.asyncProperty(roles, safeCommands, operators, suffixes, fc.nat(), async (role, command, operator, suffix, cut) => {
        const at = cut % (command.length + 1);
        await assertRefused({ role, command: `${command.slice(0, at)}${operator}${suffix}${command.slice(at)}` });
      }),
      { numRuns: 80 },
    );
  });

  it('refuses argv with a smuggled element anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(roles, argvOperators, suffixes, fc.nat(3), async (role, operator, suffix, position) => {
        const argv = ['grep', '-n', 'x', 'file.txt'];
        const element = `${suffix}${operator}${suffix}`;
        await assertRefused({
          role,
          argv: position === 0 ? [element, ...argv.slice(1)] : [...argv.slice(0, position), element, ...argv.slice(position)],
        });
      }),
      { numRuns: 60 },
    );
  });

  it('refuses program names with any non-ASCII character', async () => {
    const nonAscii = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 3 })
      .filter((text) => [...text].some((character) => character.charCodeAt(0) > 0x7f));
    await fc.assert(
      fc.asyncProperty(
        roles,
        fc.constantFrom('ls', 'cat', 'git', 'rm', 'echo'),
        nonAscii,
        fc.nat(),
        async (role, program, inserted, cut) => {
          const at = cut % (program.length + 1);
          await assertRefused({ role, argv: [`${program.slice(0, at)}${inserted}${program.slice(at)}`, 'status'] });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses environment assignments before a program', async () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
    const value = fc.stringMatching(/^[a-zA-Z0-9/._-]{0,16}$/);
    await fc.assert(
      fc.asyncProperty(roles, name, value, safeCommands, async (role, variable, content, command) => {
        await assertRefused({ role, command: `${variable}=${content} ${command}` });
      }),
      { numRuns: 40 },
    );
  });

  it('refuses any argument that climbs out with ..', async () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((text) => text !== '..' && text !== '.');
    await fc.assert(
      fc.asyncProperty(roles, fc.array(segment, { maxLength: 3 }), fc.array(segment, { maxLength: 3 }), async (role, before, after) => {
        await assertRefused({ role, argv: ['cat', [...before, '..', ...after].join('/')] });
      }),
      { numRuns: 40 },
    );
  });

  afterAll(async () => {
    expect(driver.runs).toBe(0);
    expect(driver.probes).toBe(0);
    await executor.close();
    rmSync(workspace, { recursive: true, force: true });
  });
});
