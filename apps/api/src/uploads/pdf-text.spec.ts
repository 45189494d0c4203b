import { deflateSync } from 'node:zlib';
import { ErrorCode } from '@aegis/contracts';
import { readPdfText } from './pdf-text';

/** A PDF of `pages` pages, each showing `Page N` (`operators` times, compressed). */
function pdfOf(pages: number, operators = 1): Buffer {
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.alloc(0),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
  ];
  const kids: string[] = [];
  for (let page = 1; page <= pages; page++) {
    kids.push(`${objects.length + 1} 0 R`);
    const content = deflateSync(Buffer.from(`BT /F1 12 Tf 20 100 Td ${`(Page ${page}) Tj 1 0 Td `.repeat(operators)}ET`));
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length + 2} 0 R >>`,
      ),
    );
    objects.push(
      Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')]),
    );
  }
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`);
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let length = parts[0].length;
  const offsets = objects.map((object, index) => {
    const framed = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), object, Buffer.from('\nendobj\n')]);
    parts.push(framed);
    length += framed.length;
    return length - framed.length;
  });
  const table = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${table}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

describe('readPdfText (a worker thread)', () => {
  const limits = { maxPages: 10, timeoutMs: 10_000, maxChars: 100_000 };

  it('reads every page of a short PDF', async () => {
    await expect(readPdfText(pdfOf(3), limits)).resolves.toEqual({ text: 'Page 1\nPage 2\nPage 3', pagesRead: 3, totalPages: 3 });
  });

  it('stops at the page limit and says how many pages there were', async () => {
    const result = await readPdfText(pdfOf(500), limits);
    expect(result).toMatchObject({ pagesRead: 10, totalPages: 500 });
    expect(result.text.endsWith('Page 10')).toBe(true);
  });

  it('stops reading pages once the character limit is reached', async () => {
    const result = await readPdfText(pdfOf(40), { ...limits, maxPages: 40, maxChars: 20 });
    expect(result.pagesRead).toBe(3);
  });

  it('terminates a parse that passes the time limit with DOCUMENT_TOO_COMPLEX, while this thread keeps running', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    try {
      await expect(readPdfText(pdfOf(1, 2_000_000), { ...limits, timeoutMs: 300 })).rejects.toMatchObject({
        code: ErrorCode.DocumentTooComplex,
        message: 'Reading the PDF took longer than 0.3 s (UPLOAD_PDF_TIMEOUT_MS), so it was stopped; its text was not used',
      });
    } finally {
      clearInterval(ticker);
    }
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(ticks).toBeGreaterThan(5);
  });

  it('refuses what is not a readable PDF with 415', async () => {
    await expect(readPdfText(Buffer.from('%PDF-1.4\nnot really'), limits)).rejects.toMatchObject({ code: ErrorCode.UnsupportedMediaType });
  });
});
