import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file is apps/api/src/metrics/testing/). */
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..');

/** A /metrics scrape read into its samples and the metric names it exposes. */
export interface Scrape {
  /** `name{label="value",…}` exactly as exposed → value. */
  samples: Map<string, number>;
  /** Every sample name, plus the _bucket/_sum/_count (histograms) or _sum/_count (summaries) of every declared metric. */
  names: Set<string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/;

export function parseScrape(text: string): Scrape {
  const samples = new Map<string, number>();
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const declared = /^# TYPE (\S+) (\S+)/.exec(line);
    if (declared) {
      const [, name, type] = declared;
      names.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const [, name, labels, value] = sample;
    names.add(name);
    samples.set(`${name}${labels ?? ''}`, Number(value));
  }
  return { samples, names };
}

/** The value of one sample, labels in the order prom-client writes them (the order they were declared). */
export function sampleOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return scrape.samples.get(pairs.length === 0 ? name : `${name}{${pairs.join(',')}}`);
}

const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: every identifier that is not a function, a keyword,
 * a label (inside braces or a by/without/on/ignoring list), a range, a Grafana variable or a string.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = bare.slice((match.index ?? 0) + word.length);
    if (/^\s*\(/.test(after)) continue;
    if (PROMQL_WORDS.has(word.toLowerCase())) continue;
    // Exponents of numbers such as 1e6 are not names.
    const before = bare.slice(0, match.index ?? 0);
    if (/[0-9.]$/.test(before)) continue;
    names.add(word);
  }
  return [...names];
}

/** The series selector of a templating query: `label_values(selector, label)` reads `selector`. */
const selectorOf = (query: string) => query.replace(/^label_values\((.*),\s*\w+\)$/, '$1');

/** Every `expr` (panels' targets) and templating query in the dashboard, wherever it is nested. */
export function dashboardExpressions(dashboard: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'expr' && typeof value === 'string') found.push(value);
      else if (key === 'query' && typeof value === 'string') found.push(selectorOf(value));
      else visit(value);
    }
  };
  visit(dashboard);
  return found;
}

/** Every alert rule's expression in a Prometheus rules file (read as YAML-compatible text without a YAML parser). */
export function alertExpressions(rulesYaml: string): string[] {
  const expressions: string[] = [];
  const lines = rulesYaml.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = /^(\s*)expr:\s*(.*)$/.exec(lines[index]);
    if (!match) continue;
    const [, indent, rest] = match;
    if (rest && !/^[|>][-+]?$/.test(rest.trim())) {
      expressions.push(rest.trim());
      continue;
    }
    const block: string[] = [];
    while (index + 1 < lines.length && (lines[index + 1].trim() === '' || lines[index + 1].search(/\S/) > indent.length)) {
      block.push(lines[++index].trim());
    }
    expressions.push(block.join(' '));
  }
  return expressions;
}

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}
