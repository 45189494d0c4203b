// The baseline of `npm run bench -- api`: a bare NestJS 11 app (Express, no middleware, no logger) with the
// two routes the issue compares against. Run as a child process: `node --import tsx bare-nest.ts <postgres url>`;
// it prints `READY <port>` once listening and stops when its stdin closes.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error('usage: bare-nest.ts <postgres url>');
// Ten connections, as the API's own pool (libs/database data-source.ts).
const pool = new Pool({ connectionString: databaseUrl, max: 10 });

@Controller()
class BareController {
  @Get('ok')
  ok(): { ok: boolean } {
    return { ok: true };
  }

  @Get('row')
  async row(): Promise<unknown> {
    const result = await pool.query('SELECT id, username, role FROM users LIMIT 1');
    return result.rows[0];
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`READY ${new URL(await app.getUrl()).port}\n`);
  process.stdin.resume();
  process.stdin.once(
    'end',
    () =>
      void app
        .close()
        .then(() => pool.end())
        .then(() => process.exit(0)),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
