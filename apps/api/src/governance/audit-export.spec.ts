import { csvCell, csvRow, exportFileName } from './audit-export';

describe('the audit export format', () => {
  it('writes RFC 4180 fields: quotes doubled, fields with commas, quotes or line breaks quoted', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-11-29T10:00:00.000Z'))).toBe('2026-11-29T10:00:00.000Z');
    expect(csvCell({ command: 'ls, -la' })).toBe('"{""command"":""ls, -la""}"');
    expect(csvRow(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('defuses a cell a spreadsheet would read as a formula: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('names the file after the range, open ends said as such', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(exportFileName({}, 'csv', now)).toBe('aegis-audit-beginning-2026-11-29.csv');
    expect(exportFileName({ from: new Date('2026-11-01T08:00:00Z'), to: new Date('2026-11-15T23:59:59Z') }, 'ndjson', now)).toBe('aegis-audit-2026-11-01-2026-11-15.ndjson');
  });
});
