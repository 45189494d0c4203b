/** `du -s -k` output: the size in KiB of the first summary line, or undefined. */
export function parseDuSummary(stdout: string): number | undefined {
  const match = /^(\d+)\t/.exec(stdout.trimStart());
  return match ? Number(match[1]) : undefined;
}

export interface FilesystemUsage {
  filesystem: string;
  totalKb: number;
  usedKb: number;
  availableKb: number;
  usedPercent: number;
  mountedOn: string;
}

/** `df -P -k` output (POSIX format: one line per file system, after a header). */
export function parseDfPortable(stdout: string): FilesystemUsage[] {
  const rows: FilesystemUsage[] = [];
  for (const line of stdout.split('\n').slice(1)) {
    const match = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(.+)$/.exec(line.trim());
    if (!match) continue;
    rows.push({
      filesystem: match[1],
      totalKb: Number(match[2]),
      usedKb: Number(match[3]),
      availableKb: Number(match[4]),
      usedPercent: Number(match[5]),
      mountedOn: match[6],
    });
  }
  return rows;
}

/** `Key: value` lines (lscpu, /proc/cpuinfo blocks): keys trimmed, empty values (section titles) dropped, first wins. */
export function parseKeyValueLines(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key && value && !entries.has(key)) entries.set(key, value);
  }
  return entries;
}

export interface CpuSummary {
  source: 'lscpu' | '/proc/cpuinfo';
  architecture?: string;
  modelName?: string;
  logicalCpus?: number;
  threadsPerCore?: number;
  coresPerSocket?: number;
  sockets?: number;
  /** lscpu's own first lines (what `lscpu | head -20` showed, less the CPU flags), at most 20. */
  details: Record<string, string>;
}

const LSCPU_DETAIL_LINES = 20;

function toCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** `lscpu` output (LANG=C), the `| head -20` done here. */
export function parseLscpu(stdout: string): CpuSummary {
  const entries = parseKeyValueLines(stdout);
  return {
    source: 'lscpu',
    architecture: entries.get('Architecture'),
    modelName: entries.get('Model name'),
    logicalCpus: toCount(entries.get('CPU(s)')),
    threadsPerCore: toCount(entries.get('Thread(s) per core')),
    coresPerSocket: toCount(entries.get('Core(s) per socket')),
    sockets: toCount(entries.get('Socket(s)')),
    details: Object.fromEntries([...entries].filter(([key]) => key !== 'Flags').slice(0, LSCPU_DETAIL_LINES)),
  };
}

/** /proc/cpuinfo: one block per logical CPU (x86 `model name`, ARM `CPU part`/`Hardware`). */
export function parseCpuInfo(text: string): CpuSummary {
  const blocks = text.split(/\n\s*\n/).filter((block) => /^processor\s*:/m.test(block));
  const first = parseKeyValueLines(blocks[0] ?? text);
  const all = parseKeyValueLines(text);
  const physicalIds = new Set(blocks.map((block) => parseKeyValueLines(block).get('physical id')).filter((id) => id !== undefined));
  const sockets = physicalIds.size > 0 ? physicalIds.size : undefined;
  return {
    source: '/proc/cpuinfo',
    modelName: first.get('model name') ?? all.get('Model') ?? all.get('Hardware') ?? first.get('cpu model'),
    logicalCpus: blocks.length > 0 ? blocks.length : undefined,
    coresPerSocket: toCount(first.get('cpu cores')),
    sockets,
    details: {},
  };
}

/** /proc/meminfo values in KiB (`MemTotal:  16318248 kB`); HugePages counts are taken as they are. */
export function parseMeminfo(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match) values[match[1]] = Number(match[2]);
  }
  return values;
}

/** /proc/uptime: seconds since boot (the first number). */
export function parseUptime(text: string): number | undefined {
  const seconds = Number.parseFloat(text.trim().split(/\s+/)[0] ?? '');
  return Number.isFinite(seconds) ? Math.floor(seconds) : undefined;
}
