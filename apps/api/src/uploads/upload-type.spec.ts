import { detectUploadType, sanitiseUploadName } from './upload-type';

describe('sanitiseUploadName', () => {
  it('keeps only the last path segment, without control characters or leading dots', () => {
    expect(sanitiseUploadName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseUploadName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(sanitiseUploadName('bad\r\nname".txt')).toBe('bad__name_.txt');
    expect(sanitiseUploadName('.htaccess')).toBe('htaccess');
    expect(sanitiseUploadName('x'.repeat(300))).toHaveLength(255);
    expect(sanitiseUploadName(undefined)).toBe('upload');
    expect(sanitiseUploadName('..')).toBe('upload');
  });
});

describe('detectUploadType', () => {
  it('names text flavours by extension only for valid UTF-8 text', async () => {
    expect(await detectUploadType(Buffer.from('# Title\n'), 'notes.md')).toBe('text/markdown');
    expect(await detectUploadType(Buffer.from('a,b\n1,2\n'), 'data.CSV')).toBe('text/csv');
    expect(await detectUploadType(Buffer.from('{"a":1}'), 'x.json')).toBe('application/json');
    expect(await detectUploadType(Buffer.from('{not json'), 'x.json')).toBe('text/plain');
    expect(await detectUploadType(Buffer.from('héllo wörld'), 'x')).toBe('text/plain');
  });

  it('refuses markup, binary junk, NULs and empty files', async () => {
    for (const bytes of [Buffer.from('  <svg onload="x()"/>'), Buffer.from([0xc3, 0x28]), Buffer.from('a\u0000b'), Buffer.alloc(0)]) {
      await expect(detectUploadType(bytes, 'f.txt')).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  });
});
