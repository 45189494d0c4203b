import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  parseCpuInfo,
  parseDfPortable,
  parseDuSummary,
  parseKeyValueLines,
  parseLscpu,
  parseMeminfo,
  parseUptime,
} from './system-info.parser';

const LSCPU = `Architecture:                            x86_64
CPU op-mode(s):                          32-bit, 64-bit
Address sizes:                           48 bits physical, 57 bits virtual
Byte Order:                              Little Endian
CPU(s):                                  2
On-line CPU(s) list:                     0,1
Vendor ID:                               GenuineIntel
  Model name:                            Intel(R) Xeon(R) Processor
    CPU family:                          6
    Thread(s) per core:                  1
    Core(s) per socket:                  2
    Socket(s):                           1
    Flags:                               fpu vme de pse tsc msr
Virtualization features:
  Hypervisor vendor:                     KVM
Caches (sum of all):
  L1d:                                   96 KiB (2 instances)
`;

describe('system output parsers', () => {
  it('du -s -k: the size of the summary line', () => {
    expect(parseDuSummary('1152\t./libs\n')).toBe(1152);
    expect(parseDuSummary('0\t.\n')).toBe(0);
    expect(parseDuSummary('du: cannot read directory\n')).toBeUndefined();
    expect(parseDuSummary('')).toBeUndefined();
  });

  it('df -P -k: one row per file system, mount points with spaces kept', () => {
    const stdout = [
      'Filesystem     1024-blocks     Used Available Capacity Mounted on',
      '/dev/vda         264212084 27575020  78815892      26% /',
      'tmpfs                65536        0     65536       0% /mnt/with space',
      'not a row',
    ].join('\n');
    expect(parseDfPortable(stdout)).toEqual([
      { filesystem: '/dev/vda', totalKb: 264212084, usedKb: 27575020, availableKb: 78815892, usedPercent: 26, mountedOn: '/' },
      { filesystem: 'tmpfs', totalKb: 65536, usedKb: 0, availableKb: 65536, usedPercent: 0, mountedOn: '/mnt/with space' },
    ]);
  });

  it('lscpu (old flat and new nested layouts): the summary, section titles and flags dropped', () => {
    const summary = parseLscpu(LSCPU);
    expect(summary).toMatchObject({
      source: 'lscpu',
      architecture: 'x86_64',
      modelName: 'Intel(R) Xeon(R) Processor',
      logicalCpus: 2,
      threadsPerCore: 1,
      coresPerSocket: 2,
      sockets: 1,
    });
    expect(Object.keys(summary.details)).not.toContain('Flags');
    expect(Object.keys(summary.details)).not.toContain('Caches (sum of all)');
    expect(summary.details['Hypervisor vendor']).toBe('KVM');
  });

  it('keeps at most 20 lscpu lines, like `lscpu | head -20` did', () => {
    const many = Array.from({ length: 40 }, (_, i) => `Key ${i}: value ${i}`).join('\n');
    expect(Object.keys(parseLscpu(many).details)).toHaveLength(20);
  });

  it('key/value lines: first value wins, empty values skipped', () => {
    expect([...parseKeyValueLines('a: 1\nb:\na: 2\n : x\nc : three : four')]).toEqual([
      ['a', '1'],
      ['c', 'three : four'],
    ]);
  });

  it('/proc/cpuinfo: model, logical CPUs, cores, sockets', () => {
    const block = (n: number, physical: number) =>
      `processor\t: ${n}\nvendor_id\t: GenuineIntel\nmodel name\t: Test CPU @ 2.60GHz\nphysical id\t: ${physical}\ncpu cores\t: 2\n`;
    expect(parseCpuInfo([block(0, 0), block(1, 0), block(2, 1), block(3, 1)].join('\n'))).toEqual({
      source: '/proc/cpuinfo',
      modelName: 'Test CPU @ 2.60GHz',
      logicalCpus: 4,
      coresPerSocket: 2,
      sockets: 2,
      details: {},
    });
  });

  it('/proc/meminfo and /proc/uptime', () => {
    expect(parseMeminfo('MemTotal:       24684084 kB\nMemAvailable:   24016344 kB\nHugePages_Total:       0\nbad line\n')).toEqual({
      MemTotal: 24684084,
      MemAvailable: 24016344,
      HugePages_Total: 0,
    });
    expect(parseUptime('3609.12 4644.83\n')).toBe(3609);
    expect(parseUptime('')).toBeUndefined();
  });

  describe('against this machine', () => {
    it('parses the real lscpu, df, du, /proc/cpuinfo and /proc/meminfo', () => {
      const lscpu = parseLscpu(execFileSync('lscpu', { env: { LANG: 'C', PATH: '/usr/bin:/bin' }, encoding: 'utf8' }));
      expect(lscpu.logicalCpus).toBe(cpus().length);
      expect(lscpu.architecture).toBeTruthy();
      expect(parseCpuInfo(readFileSync('/proc/cpuinfo', 'utf8')).logicalCpus).toBe(cpus().length);
      const [root] = parseDfPortable(execFileSync('df', ['-P', '-k', '/'], { encoding: 'utf8' }));
      expect(root.mountedOn).toBe('/');
      expect(root.totalKb).toBeGreaterThan(root.usedKb);
      expect(parseDuSummary(execFileSync('du', ['-s', '-k', __dirname], { encoding: 'utf8' }))).toBeGreaterThan(0);
      expect(parseMeminfo(readFileSync('/proc/meminfo', 'utf8'))['MemTotal']).toBeGreaterThan(0);
    });
  });
});
