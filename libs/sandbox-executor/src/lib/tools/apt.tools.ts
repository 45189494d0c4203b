import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import { z } from 'zod';
import { ExecutorException } from '../executor.types';
import { defineTool, requireSuccess } from './tool-support';
import type { ToolContext } from './tool.types';

const APT_TIMEOUT_MS = 10 * 60_000;
const QUERY_TIMEOUT_MS = 30_000;

/**
 * Debian policy §5.6.1: lowercase letters, digits, `+ - .`; at least two characters, starting
 * alphanumeric (so never an option). Never ending in `-`, which apt-get reads as "remove this
 * package"; `=version`, `/release`, `:arch` and options cannot be written at all. A trailing `+`
 * (apt's "install") is kept: real packages such as g++ end in it.
 */
export const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]*[a-z0-9+.]$/;

/** apt-get install's fixed options: no prompts, no recommends, and never remove a package to satisfy an install. */
export const APT_INSTALL_OPTIONS = ['install', '-y', '-q', '--no-install-recommends', '--no-remove'] as const;

const packageArg = z.string().max(128).regex(DEBIAN_PACKAGE_NAME, {
  error:
    "must be a plain Debian package name (lowercase letters, digits, + - ., not ending in '-'; no version, release, architecture or option)",
});

function requireApt(context: ToolContext): void {
  const apt = context.host.apt();
  if (!apt.available) throw new ExecutorException(ErrorCode.CapabilityUnavailable, apt.reason ?? 'apt is not available on this host');
}

/** Which of `packages` dpkg reports as installed. */
async function installedPackages(context: ToolContext, packages: readonly string[]): Promise<Set<string>> {
  const result = await context.host.run('dpkg-query', ['--show', '--showformat=${Package} ${Status}\\n', '--', ...packages], {
    timeoutMs: QUERY_TIMEOUT_MS,
    signal: context.signal,
  });
  // dpkg-query exits 1 when some package is unknown: the others are still listed.
  if (result.timedOut) requireSuccess(result, 'dpkg-query');
  const installed = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(\S+) install ok installed$/.exec(line.trim());
    if (match) installed.add(match[1].replace(/:.*$/, ''));
  }
  return installed;
}

export const aptUpdateTool = defineTool({
  name: 'apt_update',
  description:
    "Refreshes the host's package lists (apt-get update) as root on the host; only where enabled (APT_TOOLS_ENABLED) and the server runs as root.",
  actionClass: ActionClass.Sensitive,
  minRole: Role.Admin,
  argsSchema: z.strictObject({}),
  async run(_args, context) {
    requireApt(context);
    const result = await context.host.run('apt-get', ['update', '-q'], { timeoutMs: APT_TIMEOUT_MS, signal: context.signal });
    const verified = result.exitCode === 0 && !result.timedOut;
    return {
      output: {
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        stdout: result.stdout,
        stderr: result.stderr,
        truncated: result.truncated,
      },
      verification: {
        verified,
        detail: verified ? 'apt-get update finished without errors' : `apt-get update failed (exit ${result.exitCode})`,
      },
    };
  },
});

export const aptInstallTool = defineTool({
  name: 'apt_install',
  description:
    'Installs Debian packages on the host (apt-get install -y --no-install-recommends --no-remove) as root; only where enabled (APT_TOOLS_ENABLED). ' +
    'Records which packages were new, so they can be removed again.',
  actionClass: ActionClass.Critical,
  minRole: Role.Admin,
  argsSchema: z.strictObject({
    packages: z
      .array(packageArg)
      .min(1)
      .max(20)
      .refine((names) => new Set(names).size === names.length, { error: 'must not repeat a package' }),
  }),
  async run(args, context) {
    requireApt(context);
    const before = await installedPackages(context, args.packages);
    const result = await context.host.run('apt-get', [...APT_INSTALL_OPTIONS, '--', ...args.packages], {
      timeoutMs: APT_TIMEOUT_MS,
      signal: context.signal,
    });
    const after = await installedPackages(context, args.packages);
    const missing = args.packages.filter((name) => !after.has(name));
    const newlyInstalled = args.packages.filter((name) => after.has(name) && !before.has(name));
    const verified = result.exitCode === 0 && missing.length === 0;
    return {
      output: {
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        newlyInstalled,
        alreadyInstalled: args.packages.filter((name) => before.has(name)),
        stdout: result.stdout,
        stderr: result.stderr,
        truncated: result.truncated,
      },
      verification: {
        verified,
        detail: verified
          ? `dpkg reports installed: ${args.packages.join(', ')}`
          : `not installed: ${missing.join(', ') || '(apt-get failed)'}`,
      },
      rollback: newlyInstalled.length > 0 ? { kind: 'apt_remove' as const, packages: newlyInstalled } : undefined,
    };
  },
});
