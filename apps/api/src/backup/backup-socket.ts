import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TableShape } from './backup.repository';
import type { ExportSink } from './database-export';

// The running server's export of the embedded database, one record a line: `M\t<migration>`,
// `T\t<table as JSON>`, `R\t<row as JSON>`..., then `E\t` (done) or `X\t<reason>` (failed).

/** Beside the embedded database's own socket, in DATA_DIR/run (mode 0700): only the server's OS user reaches it. */
export function backupSocketPath(dataDir: string): string {
  return join(dataDir, 'run', 'backup.sock');
}

const GONE = 'the backup client went away';

/** Writes a line; when the client's buffer is full, waits for it to drain, or fails if it leaves. */
async function writeLine(socket: Socket, line: string): Promise<void> {
  if (socket.destroyed) throw new Error(GONE);
  if (socket.write(`${line}\n`)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (outcome: Error | undefined) => {
      socket.off('drain', onDrain).off('close', onClose);
      if (outcome) reject(outcome);
      else resolve();
    };
    const onDrain = () => settle(undefined);
    const onClose = () => settle(new Error(GONE));
    socket.on('drain', onDrain).on('close', onClose);
  });
}

/** The server's side: an export written to the connected client, waiting whenever its buffer is full. */
export function socketExportSink(socket: Socket): ExportSink & { end(): Promise<void>; fail(reason: string): Promise<void> } {
  return {
    schema: (migration) => writeLine(socket, `M\t${migration}`),
    table: (table) => writeLine(socket, `T\t${JSON.stringify(table)}`),
    rows: async (lines) => {
      for (const line of lines) await writeLine(socket, `R\t${line}`);
    },
    end: () => writeLine(socket, 'E\t'),
    fail: (reason) => writeLine(socket, `X\t${reason.replaceAll('\n', ' ')}`),
  };
}

/** The CLI's side: reads the running server's export into `sink`; throws with the server's reason, or if the stream stops early. */
export async function exportThroughServer(socketPath: string, sink: ExportSink): Promise<void> {
  const socket = connect(socketPath);
  await once(socket, 'connect');
  const lines = createInterface({ input: socket, crlfDelay: Infinity });
  let rows: string[] = [];
  const flush = async () => {
    if (rows.length > 0) await sink.rows(rows);
    rows = [];
  };
  try {
    for await (const line of lines) {
      const [kind, body] = [line.slice(0, 1), line.slice(2)];
      if (kind === 'R') {
        rows.push(body);
        if (rows.length >= 1000) await flush();
        continue;
      }
      await flush();
      if (kind === 'M') await sink.schema(body);
      else if (kind === 'T') await sink.table(JSON.parse(body) as TableShape);
      else if (kind === 'E') return;
      else if (kind === 'X') throw new Error(`the server could not export its database: ${body}`);
      else throw new Error('the server sent something other than a database export');
    }
    throw new Error('the server closed the backup stream before the end of the export');
  } finally {
    socket.destroy();
  }
}
