import { readFile } from 'node:fs/promises';
import { arch, endianness, hostname, loadavg, release, type } from 'node:os';
import { ActionClass, Role } from '@aegis/contracts';
import { z } from 'zod';
import { ExecutorException } from '../executor.types';
import { type ListeningSocket, parseProcNetTcp, type SocketProtocol } from './proc-net.parser';
import {
  type CpuSummary,
  type FilesystemUsage,
  parseCpuInfo,
  parseDfPortable,
  parseDuSummary,
  parseLscpu,
  parseMeminfo,
  parseUptime,
} from './system-info.parser';
import { defineTool, locate, pathArgument, requireSuccess, runInSandbox, workspacePathArg } from './tool-support';

export const diskUsageTool = defineTool({
  name: 'disk_usage',
  description: 'Disk space used under a workspace path (du -sk) and the free space of its file system (df -Pk), run in the sandbox.',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ path: workspacePathArg.default('.').describe('File or directory relative to the workspace') }),
  async run(args, context) {
    const location = locate(context, args.path);
    const target = pathArgument(location.relative);
    const du = await runInSandbox(context, ['du', '-s', '-k', '--', target]);
    const usedKb = parseDuSummary(du.stdout);
    // du exits 1 when some sub-folder is unreadable but still prints the total of the rest.
    if (usedKb === undefined) requireSuccess(du, `du on '${args.path}'`);
    const df = await runInSandbox(context, ['df', '-P', '-k', '--', target]);
    requireSuccess(df, `df on '${args.path}'`);
    const filesystem: FilesystemUsage | null = parseDfPortable(df.stdout)[0] ?? null;
    const warnings = du.exitCode === 0 ? [] : du.stderr.trim().split('\n').slice(0, 20);
    return { output: { path: location.relative, usedKb: usedKb ?? 0, filesystem, warnings } };
  },
});

async function readProcFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** lscpu in the sandbox (argv, its `| head -20` done in TypeScript); /proc/cpuinfo when the sandbox cannot run it. */
async function cpuSummary(context: Parameters<typeof runInSandbox>[0], notes: string[]): Promise<CpuSummary | null> {
  try {
    const result = await runInSandbox(context, ['lscpu']);
    if (result.exitCode === 0 && !result.timedOut) return parseLscpu(result.stdout);
    notes.push(`lscpu failed (exit ${result.exitCode}); read /proc/cpuinfo instead`);
  } catch (error) {
    if (!(error instanceof ExecutorException)) throw error;
    notes.push(`lscpu unavailable (${error.code}: ${error.message}); read /proc/cpuinfo instead`);
  }
  const cpuinfo = await readProcFile('/proc/cpuinfo');
  return cpuinfo === undefined ? null : { ...parseCpuInfo(cpuinfo), architecture: arch() };
}

export const systemInfoTool = defineTool({
  name: 'system_info',
  description: 'Kernel, host name, uptime, load, CPU (lscpu in the sandbox, else /proc/cpuinfo) and memory (/proc/meminfo) of the server.',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({}),
  async run(_args, context) {
    const notes: string[] = [];
    const cpu = await cpuSummary(context, notes);
    const meminfo = parseMeminfo((await readProcFile('/proc/meminfo')) ?? '');
    const uptime = parseUptime((await readProcFile('/proc/uptime')) ?? '');
    const [load1, load5, load15] = loadavg();
    return {
      output: {
        kernel: { name: type(), release: release(), machine: arch() },
        hostname: hostname(),
        uptimeSeconds: uptime ?? null,
        loadAverage: { '1m': load1, '5m': load5, '15m': load15 },
        cpu,
        memory:
          meminfo['MemTotal'] === undefined
            ? null
            : {
                totalKb: meminfo['MemTotal'],
                availableKb: meminfo['MemAvailable'] ?? meminfo['MemFree'] ?? 0,
                freeKb: meminfo['MemFree'] ?? 0,
                swapTotalKb: meminfo['SwapTotal'] ?? 0,
                swapFreeKb: meminfo['SwapFree'] ?? 0,
              },
        notes,
      },
    };
  },
});

const PROC_NET_FILES: [SocketProtocol, string][] = [
  ['tcp', '/proc/net/tcp'],
  ['tcp6', '/proc/net/tcp6'],
];

export const networkListenersTool = defineTool({
  name: 'network_listeners',
  description: "The server's listening TCP sockets (address, port, owner uid), read from /proc/net/tcp and /proc/net/tcp6.",
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({}),
  async run() {
    const byteOrder = endianness();
    const listeners: ListeningSocket[] = [];
    for (const [protocol, path] of PROC_NET_FILES) {
      const text = await readProcFile(path);
      if (text !== undefined) listeners.push(...parseProcNetTcp(text, protocol, byteOrder));
    }
    const unique = new Map(listeners.map((socket) => [`${socket.protocol} ${socket.address} ${socket.port}`, socket]));
    const sorted = [...unique.values()].sort(
      (a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address),
    );
    return { output: { listeners: sorted } };
  },
});
