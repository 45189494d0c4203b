import { ActionClass } from '@aegis/contracts';
import { PROGRAM_RULES } from '@aegis/sandbox-executor';
import { classifyArgv, classifyCommand, GIT_SUBCOMMAND_CLASSES, PROGRAM_CLASSES } from './command-classification';

describe('classification of commands', () => {
  it('has a class for every program on the allowlists, and for every git subcommand', () => {
    expect(Object.keys(PROGRAM_CLASSES).sort()).toEqual(
      Object.keys(PROGRAM_RULES)
        .filter((program) => program !== 'git')
        .sort(),
    );
    expect(Object.keys(GIT_SUBCOMMAND_CLASSES).sort()).toEqual(Object.keys(PROGRAM_RULES['git'].subcommands ?? {}).sort());
  });

  it('puts read-only inspection in READ, workspace changes in MODERATE, destructive ones in SENSITIVE, python3 in CRITICAL', () => {
    for (const program of ['ls', 'cat', 'grep', 'find', 'du', 'df', 'sha256sum', 'date'])
      expect(PROGRAM_CLASSES[program]).toBe(ActionClass.Read);
    for (const program of ['mkdir', 'cp', 'mv', 'touch', 'tar', 'gzip', 'gunzip'])
      expect(PROGRAM_CLASSES[program]).toBe(ActionClass.Moderate);
    for (const program of ['rm', 'rmdir', 'chmod', 'ln', 'truncate']) expect(PROGRAM_CLASSES[program]).toBe(ActionClass.Sensitive);
    expect(PROGRAM_CLASSES['python3']).toBe(ActionClass.Critical);
  });

  it('follows the minimum roles of the allowlist: no program is classed below what its role tier implies', () => {
    const floor = { viewer: ActionClass.Read, operator: ActionClass.Moderate, admin: ActionClass.Sensitive } as const;
    const order = [ActionClass.Read, ActionClass.Safe, ActionClass.Moderate, ActionClass.Sensitive, ActionClass.Critical];
    for (const [program, actionClass] of Object.entries(PROGRAM_CLASSES)) {
      expect(order.indexOf(actionClass)).toBeGreaterThanOrEqual(order.indexOf(floor[PROGRAM_RULES[program].minRole]));
    }
  });

  it.each([
    ['ls -la app', 'ls', ActionClass.Read],
    ['git status', 'git status', ActionClass.Read],
    ['git log -n 5', 'git log', ActionClass.Safe],
    ['git diff', 'git diff', ActionClass.Safe],
    ['git pull --ff-only', 'git pull', ActionClass.Moderate],
    ['mkdir -p build/out', 'mkdir', ActionClass.Moderate],
    ['chmod 600 secrets.txt', 'chmod', ActionClass.Sensitive],
    ['rm -rf build', 'rm', ActionClass.Sensitive],
    ['git reset --hard HEAD~1', 'git reset', ActionClass.Sensitive],
    ['python3 script.py', 'python3', ActionClass.Critical],
    ['curl https://example.com', 'curl', ActionClass.Critical],
    ['bash -c ls', 'bash', ActionClass.Critical],
    ['git bisect start', 'git bisect', ActionClass.Critical],
    ['toString', 'toString', ActionClass.Critical],
    ['git constructor', 'git constructor', ActionClass.Critical],
  ])('%s → %s is %s', (command, program, actionClass) => {
    expect(classifyCommand(command)).toMatchObject({ program, actionClass });
  });

  it('says why', () => {
    expect(classifyCommand('wget x').reason).toBe("'wget' is outside the catalogue, so CRITICAL");
    expect(classifyArgv(['git']).actionClass).toBe(ActionClass.Critical);
    expect(classifyArgv(['ls']).reason).toBe("'ls' is READ");
  });

  it('refuses shell syntax as the executor does, before classifying', () => {
    expect(() => classifyCommand('ls; rm -rf /')).toThrow(expect.objectContaining({ code: 'COMMAND_REFUSED' }) as Error);
    expect(() => classifyCommand('cat x | sh')).toThrow(expect.objectContaining({ code: 'COMMAND_REFUSED' }) as Error);
  });
});
