import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  name: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  /** Optional comparisons, e.g. ours/raw, and whether a target holds. */
  [extra: string]: string | number | boolean;
}

/** One line of a printed table: a timed row, or any other figures (e.g. an autocannon run). */
export type TableRow = Record<string, string | number | boolean>;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Times `run` `count` times (after `warmup` untimed runs); milliseconds per call. */
export async function measure(count: number, run: () => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

export function row(name: string, samples: number[], extra: Record<string, string | number | boolean> = {}): Row {
  return { name, samples: samples.length, medianMs: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), ...extra };
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** Prints the rows as a table and writes them, with the machine's facts (and any `details`), to bench/results/NAME.json. */
export function report(name: string, rows: readonly TableRow[], notes: string[] = [], details: Record<string, unknown> = {}): void {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = (column: string) => Math.max(column.length, ...rows.map((r) => String(r[column] ?? '').length));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(width(columns[i]))).join('  ');
  process.stdout.write(`${line(columns)}\n${line(columns.map((c) => '-'.repeat(width(c))))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => String(r[c] ?? '')))}\n`);
  for (const note of notes) process.stdout.write(`${note}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, at: new Date().toISOString(), node: process.version, rows, notes, ...details }, null, 2)}\n`,
  );
  process.stdout.write(`written to ${file}\n`);
}
