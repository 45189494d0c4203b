import { setTimeout as delay } from 'node:timers/promises';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import { z } from 'zod';
import { ExecutorException } from '../executor.types';
import type { HostProgram } from './host-system';
import { defineTool, requireSuccess } from './tool-support';
import type { ToolContext } from './tool.types';

const UNIT_SUFFIXES = ['service', 'socket', 'timer', 'target', 'path', 'mount', 'automount', 'slice', 'scope', 'swap', 'device'];
const QUERY_TIMEOUT_MS = 15_000;
const RESTART_TIMEOUT_MS = 120_000;
const SHOWN_PROPERTIES = [
  'Id',
  'Description',
  'LoadState',
  'ActiveState',
  'SubState',
  'MainPID',
  'ExecMainStartTimestamp',
  'UnitFileState',
];

const unitArg = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9_.@:\\][A-Za-z0-9_.@:\\-]*$/, { error: 'must be a systemd unit name such as nginx.service' })
  .describe('Unit name, e.g. nginx.service (a name without a type means .service)');

/** `nginx` → `nginx.service`, as systemctl itself reads it. */
export function normalizeUnitName(unit: string): string {
  const suffix = unit.slice(unit.lastIndexOf('.') + 1);
  return unit.includes('.') && UNIT_SUFFIXES.includes(suffix) ? unit : `${unit}.service`;
}

/** systemd must be this host's init, and the unit on the allowlist; then the unit's normalized name. */
function allowedUnit(context: ToolContext, unit: string): string {
  const systemd = context.host.systemd();
  if (!systemd.available)
    throw new ExecutorException(ErrorCode.CapabilityUnavailable, systemd.reason ?? 'systemd is not available on this host');
  const name = normalizeUnitName(unit);
  if (!context.systemdUnits.map(normalizeUnitName).includes(name)) {
    throw new ExecutorException(ErrorCode.Forbidden, `unit '${name}' is not on the systemd unit allowlist`);
  }
  return name;
}

async function host(context: ToolContext, program: HostProgram, args: readonly string[], timeoutMs = QUERY_TIMEOUT_MS) {
  return context.host.run(program, args, { timeoutMs, signal: context.signal });
}

/** `systemctl show` output: `Key=value` lines. */
export function parseSystemctlShow(stdout: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) properties[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return properties;
}

async function unitProperties(context: ToolContext, unit: string): Promise<Record<string, string>> {
  const result = await host(context, 'systemctl', [
    'show',
    '--no-pager',
    '--no-ask-password',
    `--property=${SHOWN_PROPERTIES.join(',')}`,
    '--',
    unit,
  ]);
  requireSuccess(result, `systemctl show ${unit}`);
  const properties = parseSystemctlShow(result.stdout);
  if (properties['LoadState'] === 'not-found')
    throw new ExecutorException(ErrorCode.NotFound, `unit '${unit}' does not exist on this host`);
  return properties;
}

function statusOf(unit: string, properties: Record<string, string>) {
  return {
    unit,
    description: properties['Description'] ?? '',
    loadState: properties['LoadState'] ?? 'unknown',
    activeState: properties['ActiveState'] ?? 'unknown',
    subState: properties['SubState'] ?? 'unknown',
    mainPid: Number(properties['MainPID'] ?? 0),
    startedAt: properties['ExecMainStartTimestamp'] || null,
    unitFileState: properties['UnitFileState'] || null,
  };
}

export const systemdStatusTool = defineTool({
  name: 'systemd_status',
  description: "State of an allowlisted systemd unit on the server's host (systemctl show).",
  actionClass: ActionClass.Safe,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ unit: unitArg }),
  async run(args, context) {
    const unit = allowedUnit(context, args.unit);
    return { output: statusOf(unit, await unitProperties(context, unit)) };
  },
});

export const systemdLogsTool = defineTool({
  name: 'systemd_logs',
  description: 'The last journal lines of an allowlisted systemd unit (journalctl -u).',
  actionClass: ActionClass.Safe,
  minRole: Role.Operator,
  argsSchema: z.strictObject({ unit: unitArg, lines: z.number().int().min(1).max(2000).default(100) }),
  async run(args, context) {
    const unit = allowedUnit(context, args.unit);
    const result = await host(context, 'journalctl', ['--no-pager', '--output=short-iso', `--lines=${args.lines}`, `--unit=${unit}`]);
    requireSuccess(result, `journalctl for ${unit}`);
    return { output: { unit, logs: result.stdout, truncated: result.truncated } };
  },
});

export const systemdRestartTool = defineTool({
  name: 'systemd_restart',
  description:
    "Restarts an allowlisted systemd unit on the server's host (systemctl restart, no sudo: the server's user must be allowed by polkit) " +
    'and checks that it is active again.',
  actionClass: ActionClass.Moderate,
  minRole: Role.Operator,
  argsSchema: z.strictObject({ unit: unitArg }),
  async run(args, context) {
    const unit = allowedUnit(context, args.unit);
    const before = await unitProperties(context, unit);
    const result = await host(context, 'systemctl', ['restart', '--no-ask-password', '--', unit], RESTART_TIMEOUT_MS);
    requireSuccess(result, `systemctl restart ${unit}`);
    let after = await unitProperties(context, unit);
    for (let attempt = 0; attempt < 20 && after['ActiveState'] === 'activating'; attempt++) {
      await delay(250, undefined, { signal: context.signal });
      after = await unitProperties(context, unit);
    }
    const verified = after['ActiveState'] === 'active';
    return {
      output: { ...statusOf(unit, after), previousStartedAt: before['ExecMainStartTimestamp'] || null },
      verification: {
        verified,
        detail: `the unit is ${after['ActiveState'] ?? 'unknown'} (${after['SubState'] ?? 'unknown'}) after the restart`,
      },
    };
  },
});
