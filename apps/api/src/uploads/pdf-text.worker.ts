import { parentPort, workerData } from 'node:worker_threads';
import { getDocumentProxy } from 'unpdf';

// Runs in a worker thread (see pdf-text.ts): a PDF's text, read page by page up to a page and a
// character limit. Node runs this file as it is in tests (type stripping) and webpack bundles it
// beside main.js, so it uses only erasable TypeScript and imports nothing of ours.

export interface PdfTextJob {
  bytes: Uint8Array;
  maxPages: number;
  maxChars: number;
}

export type PdfTextOutcome = { ok: true; text: string; pagesRead: number; totalPages: number } | { ok: false; message: string };

async function readPdfText(job: PdfTextJob): Promise<PdfTextOutcome> {
  const pdf = await getDocumentProxy(job.bytes);
  const totalPages = pdf.numPages;
  const pages: string[] = [];
  let chars = 0;
  let pagesRead = 0;
  while (pagesRead < Math.min(totalPages, job.maxPages) && chars < job.maxChars) {
    pagesRead++;
    const content = await (await pdf.getPage(pagesRead)).getTextContent();
    let text = '';
    for (const item of content.items) {
      if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    }
    pages.push(text);
    chars += text.length + 1;
  }
  return { ok: true, text: pages.join('\n'), pagesRead, totalPages };
}

function failed(error: unknown): PdfTextOutcome {
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

const port = parentPort;
if (port) {
  readPdfText(workerData as PdfTextJob).then(
    (outcome) => port.postMessage(outcome),
    (error: unknown) => port.postMessage(failed(error)),
  );
}
