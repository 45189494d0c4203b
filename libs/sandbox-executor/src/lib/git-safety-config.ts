/**
 * Settings every sandboxed git runs with (docs/sandbox.md "Git"), given twice: as command-line
 * config (GIT_CONFIG_COUNT, which beats the repository's own config) and as the global config
 * file, which survives into the git a local fetch or push starts in the other repository (git
 * drops GIT_CONFIG_COUNT there). Each was checked against git 2.39.
 */
export const GIT_SAFETY_SETTINGS: readonly (readonly [key: string, value: string])[] = [
  // No hook ever runs: /dev/null/<hook> never exists.
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.pager', 'cat'],
  ['core.editor', 'false'],
  ['sequence.editor', 'false'],
  ['core.sshCommand', 'false'],
  ['core.attributesFile', '/dev/null'],
  ['core.excludesFile', '/dev/null'],
  // An empty value resets the list of helpers.
  ['credential.helper', ''],
  ['gpg.program', 'false'],
  ['gpg.ssh.program', 'false'],
  ['gpg.x509.program', 'false'],
  ['protocol.allow', 'never'],
  ['protocol.file.allow', 'always'],
  ['protocol.https.allow', 'always'],
  ['protocol.ext.allow', 'never'],
  ['safe.bareRepository', 'explicit'],
  // Workspace files belong to the server's user, not the sandbox's: git would refuse them as "dubious ownership".
  ['safe.directory', '*'],
  // A submodule's own config is not checked, so git never enters one.
  ['submodule.recurse', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  ['push.recurseSubmodules', 'no'],
  // git status and diff would otherwise run git inside every nested repository (with its own config) to see if it changed.
  ['diff.ignoreSubmodules', 'all'],
  // A detached gc would outlive the command (and the workspace lock).
  ['gc.autoDetach', 'false'],
];

/** Where the safety settings' file appears inside a sandbox (GIT_CONFIG_GLOBAL). */
export const SANDBOX_GIT_CONFIG = '/etc/aegis/gitconfig';

/** The environment that makes git ignore system and HOME config and take the safety settings. */
export function gitSafetyEnvironment(globalConfigPath: string): Record<string, string> {
  const env: Record<string, string> = {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: globalConfigPath,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: String(GIT_SAFETY_SETTINGS.length),
  };
  GIT_SAFETY_SETTINGS.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** The safety settings as a git config file. */
export function gitSafetyConfigText(): string {
  const sections = new Map<string, string[]>();
  for (const [key, value] of GIT_SAFETY_SETTINGS) {
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    const header = first === last ? `[${key.slice(0, first)}]` : `[${key.slice(0, first)} "${key.slice(first + 1, last)}"]`;
    const lines = sections.get(header) ?? [];
    lines.push(`\t${key.slice(last + 1)} = ${value === '' ? '""' : value}`);
    sections.set(header, lines);
  }
  return `${[...sections].map(([header, lines]) => [header, ...lines].join('\n')).join('\n')}\n`;
}
