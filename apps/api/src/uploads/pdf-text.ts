import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PdfTextJob, PdfTextOutcome } from './pdf-text.worker';
import { UploadsException, UploadsExceptionCode } from './uploads.exception';

interface PdfTextLimits {
  maxPages: number;
  timeoutMs: number;
  maxChars: number;
}

interface PdfText {
  text: string;
  pagesRead: number;
  totalPages: number;
}

/** Heap a PDF parse may use before its worker is stopped. */
const WORKER_HEAP_MB = 256;

/**
 * The worker's file: beside the bundle when the server runs from dist (an entry of
 * apps/api/webpack.config.js), else the TypeScript source, which Node runs by stripping its types.
 */
function workerPath(): string {
  const candidates = [join(__dirname, 'pdf-text.worker.js'), join(__dirname, 'pdf-text.worker.ts')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the PDF worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** At most this many PDFs are parsed at once; the others wait their turn (their time limit starts with their worker). */
class ParseSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

const slots = new ParseSlots(Math.max(1, availableParallelism() - 1));

/**
 * A PDF's text, read in a worker thread so the event loop keeps serving everyone else: the first
 * `maxPages` pages at most, and the worker is terminated after `timeoutMs` (DOCUMENT_TOO_COMPLEX)
 * or when it needs more than WORKER_HEAP_MB of heap.
 */
export function readPdfText(bytes: Buffer, limits: PdfTextLimits): Promise<PdfText> {
  return slots.run(() => parseInWorker(bytes, limits));
}

function parseInWorker(bytes: Buffer, limits: PdfTextLimits): Promise<PdfText> {
  // A copy of its own, handed over (not cloned) to the worker.
  const copy = new Uint8Array(bytes);
  const job: PdfTextJob = { bytes: copy, maxPages: limits.maxPages, maxChars: limits.maxChars };
  return new Promise<PdfText>((resolve, reject) => {
    const worker = new Worker(workerPath(), {
      workerData: job,
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const settle = (outcome: { text: PdfText } | { error: UploadsException }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if ('text' in outcome) resolve(outcome.text);
      else reject(outcome.error);
    };
    const timer = setTimeout(
      () =>
        settle({
          error: new UploadsException(
            UploadsExceptionCode.DocumentTooComplex,
            `Reading the PDF took longer than ${seconds(limits.timeoutMs)} (UPLOAD_PDF_TIMEOUT_MS), so it was stopped; its text was not used`,
          ),
        }),
      limits.timeoutMs,
    );
    worker.on('message', (outcome: PdfTextOutcome) => {
      if (outcome.ok) settle({ text: { text: outcome.text, pagesRead: outcome.pagesRead, totalPages: outcome.totalPages } });
      else
        settle({
          error: new UploadsException(
            UploadsExceptionCode.UnsupportedMediaType,
            `The PDF could not be read: ${outcome.message.slice(0, 200)}`,
          ),
        });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const message =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `Reading the PDF needed more than ${WORKER_HEAP_MB} MB of memory, so it was stopped; its text was not used`
          : 'The PDF could not be read';
      settle({
        error: new UploadsException(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? UploadsExceptionCode.DocumentTooComplex : UploadsExceptionCode.UnsupportedMediaType,
          message,
        ),
      });
    });
    worker.on('exit', () =>
      settle({ error: new UploadsException(UploadsExceptionCode.UnsupportedMediaType, 'The PDF could not be read') }),
    );
  });
}
