import { describe, expect, it } from 'vitest';
import { appendCapped, filterLines, splitLogText, splitOnMatches, stripAnsi, toLogLines } from './log-lines';

describe('log lines', () => {
  it('strips colour, cursor and title sequences and a trailing carriage return', () => {
    expect(stripAnsi('\u001b[31mERROR\u001b[0m disk \u001b[1;33mfull\u001b[m\r')).toBe('ERROR disk full');
    expect(stripAnsi('\u001b]0;title\u0007ready \u001b[2K\u001b[1Gdone')).toBe('ready done');
    expect(stripAnsi('plain [31m text')).toBe('plain [31m text');
  });

  it('splits an answer into lines without the empty one after the last newline', () => {
    expect(splitLogText('')).toEqual([]);
    expect(splitLogText('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLogText('a\n\nb')).toEqual(['a', '', 'b']);
  });

  it('keeps only the newest lines past the cap and counts the dropped ones', () => {
    const first = toLogLines(['1', '2', '3'], 0);
    const next = toLogLines(['4', '5'], 3);
    const { lines, dropped } = appendCapped(first, next, 4);
    expect(lines.map((line) => line.text)).toEqual(['2', '3', '4', '5']);
    expect(lines.map((line) => line.seq)).toEqual([1, 2, 3, 4]);
    expect(dropped).toBe(1);
    expect(appendCapped([], next, 4)).toEqual({ lines: next, dropped: 0 });
  });

  it('filters and marks matches ignoring case', () => {
    const lines = toLogLines(['GET /health 200', 'error: disk full', 'Error again'], 0);
    expect(filterLines(lines, 'ERROR').map((line) => line.text)).toEqual(['error: disk full', 'Error again']);
    expect(filterLines(lines, '')).toBe(lines);
    expect(splitOnMatches('Error: an error', 'error')).toEqual(['', 'Error', ': an ', 'error', '']);
    expect(splitOnMatches('nothing', 'x')).toEqual(['nothing']);
  });
});
