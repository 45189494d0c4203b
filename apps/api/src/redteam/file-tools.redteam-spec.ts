import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LinkFlipper, startLinkFlipper } from '@aegis/testing';
import type { Response } from 'supertest';
import { inWorkspace, type RedteamServer, startRedteamServer } from './redteam-server';

// Host-side file tools (issue 10, item 5): read_file, list_directory, search_files and write_file
// run on the host. Whoever can write the workspace (a sandboxed command) can swap a symbolic link
// into a path between the server's check and its open; none of that may reach outside.

const JUSTIFICATION = 'The red team checks that write_file stays inside the workspace';
const RACE_CALLS = 150;
const RACE_MILLISECONDS = 15_000;

function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(folder)) {
    const stats = statSync(join(folder, name));
    files[name] = stats.isFile() ? `${readFileSync(join(folder, name), 'utf8')}|${stats.mtimeMs}|${stats.size}` : 'folder';
  }
  return files;
}

describe('red team: host-side file tools (item 5)', () => {
  let server: RedteamServer;
  let dataDir: string;
  let outside: string;
  let jwtFile: string;
  const token = randomBytes(8).toString('hex');
  const secret = `OUTSIDE-SECRET-${token}`;
  const jwtSecret = `JWT-SECRET-${token}-0123456789abcdef0123456789`;
  const outsideOnlyName = `outside-only-${token}.txt`;
  let outsideBefore: Record<string, string>;
  let secretsBefore: Record<string, string>;

  beforeAll(async () => {
    server = await startRedteamServer({ env: { RATE_LIMIT_TOOLS: '100000/60' } });
    dataDir = server.config.dataDir;
    // What must stay out of reach: another user's uploads and the generated JWT secret.
    outside = join(dataDir, 'other-users-uploads');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), `${secret}\n`);
    writeFileSync(join(outside, 'victim.txt'), 'outside file: must never change\n');
    writeFileSync(join(outside, outsideOnlyName), `${secret} in a file whose name is secret too\n`);
    mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    jwtFile = join(dataDir, 'secrets', 'jwt-secret');
    writeFileSync(jwtFile, jwtSecret, { mode: 0o600 });

    mkdirSync(inWorkspace(server, 'd'));
    writeFileSync(inWorkspace(server, 'd', 'secret.txt'), 'decoy inside the workspace\n');
    writeFileSync(inWorkspace(server, 'd', 'victim.txt'), 'inside victim\n');
    mkdirSync(inWorkspace(server, 'stable'));
    writeFileSync(inWorkspace(server, 'stable', 'stable.txt'), 'stable content\n');
    outsideBefore = snapshot(outside);
    secretsBefore = snapshot(join(dataDir, 'secrets'));
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Nothing from outside in a response, and the outside folders unchanged. */
  function expectNothingLeaked(response: Response): void {
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(token);
    expect(text).not.toContain('outside file');
    expect(response.status).toBeLessThan(500);
  }

  function expectOutsideUntouched(): void {
    expect(snapshot(outside)).toEqual(outsideBefore);
    expect(snapshot(join(dataDir, 'secrets'))).toEqual(secretsBefore);
    expect(readFileSync(jwtFile, 'utf8')).toBe(jwtSecret);
  }

  const tool = (who: 'opal' | 'otto' | 'root', name: string, args: object, justification?: string) =>
    server.as(who).post(`/api/tools/${name}/execute`, justification === undefined ? { args } : { args, justification });

  describe('static links', () => {
    beforeAll(() => {
      symlinkSync(jwtFile, inWorkspace(server, 'jwt-link'));
      symlinkSync(join(dataDir, 'secrets'), inWorkspace(server, 'secrets-link'));
      symlinkSync(outside, inWorkspace(server, 'uploads-link'));
    });
    afterAll(() => {
      for (const name of ['jwt-link', 'secrets-link', 'uploads-link']) rmSync(inWorkspace(server, name));
    });

    it.each([
      ['a link at the final component to the JWT secret', 'jwt-link'],
      ['a link in the middle to DATA_DIR/secrets', 'secrets-link/jwt-secret'],
      ['a link in the middle to other users’ uploads', 'uploads-link/secret.txt'],
    ])('an operator cannot read through %s', async (_what, path) => {
      const response = await tool('opal', 'read_file', { path });
      expectNothingLeaked(response);
      expect(response.body).toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
      expect(JSON.stringify(response.body)).not.toContain('JWT-SECRET');
    });

    it.each(['secrets-link', 'uploads-link', 'jwt-link'])('an operator cannot list or search through %j', async (path) => {
      for (const [name, args] of [
        ['list_directory', { path }],
        ['search_files', { path, pattern: 'SECRET' }],
      ] as const) {
        const response = await tool('otto', name, args);
        expectNothingLeaked(response);
        expect(JSON.stringify(response.body)).not.toContain('jwt-secret');
        expect(response.body).toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
      }
    });

    it.each(['jwt-link', 'secrets-link/jwt-secret', 'secrets-link/new.txt', 'uploads-link/victim.txt', 'uploads-link/created.txt'])(
      'an admin cannot write through %j',
      async (path) => {
        const response = await tool('root', 'write_file', { path, content: 'PWNED' }, JUSTIFICATION);
        expectNothingLeaked(response);
        expect(response.body).toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
        expectOutsideUntouched();
      },
    );
  });

  describe('a link swapped in while the server works', () => {
    let flipper: LinkFlipper | undefined;

    beforeAll(() => {
      flipper = startLinkFlipper(inWorkspace(server, 'd'), outside);
    });

    afterAll(async () => {
      await flipper?.stop();
    });

    interface RaceReport {
      statuses: Record<number, number>;
      /** Responses that carried something from outside the workspace. */
      leaks: string[];
      /** 5xx responses (an unmapped error is a failure too). */
      serverErrors: string[];
    }

    /** Runs `call` up to RACE_CALLS times (or RACE_MILLISECONDS), four at a time, while a stable folder keeps working. */
    async function race(call: (round: number) => Promise<Response>): Promise<RaceReport> {
      const deadline = Date.now() + RACE_MILLISECONDS;
      const report: RaceReport = { statuses: {}, leaks: [], serverErrors: [] };
      let round = 0;
      const worker = async () => {
        while (round < RACE_CALLS && Date.now() < deadline) {
          const response = await call(round++);
          const text = JSON.stringify(response.body);
          report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
          if (text.includes(token) || text.includes('outside file')) report.leaks.push(text.slice(0, 300));
          if (response.status >= 500) report.serverErrors.push(text.slice(0, 300));
          const stable = await tool('opal', 'read_file', { path: 'stable/stable.txt' });
          expect(stable.status).toBe(200);
          expect(stable.body).toMatchObject({ result: { output: { content: 'stable content\n' } } });
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      expect(flipper?.running()).toBe(true);
      return report;
    }

    function expectNothingCrossed(report: RaceReport): void {
      expect({
        statuses: report.statuses,
        leaks: report.leaks.slice(0, 3),
        leakCount: report.leaks.length,
        serverErrors: report.serverErrors.slice(0, 3),
      }).toEqual({
        statuses: report.statuses,
        leaks: [],
        leakCount: 0,
        serverErrors: [],
      });
    }

    it('an operator never reads the outside secret through read_file', async () => {
      expectNothingCrossed(await race(() => tool('opal', 'read_file', { path: 'd/secret.txt' })));
    }, 60_000);

    it('an operator never sees outside names through list_directory', async () => {
      expectNothingCrossed(await race(() => tool('otto', 'list_directory', { path: 'd' })));
    }, 60_000);

    it('an operator never finds outside content through search_files', async () => {
      expectNothingCrossed(await race((round) => tool('otto', 'search_files', { path: round % 2 === 0 ? 'd' : '.', pattern: 'SECRET' })));
    }, 60_000);

    it('an admin never creates, truncates or replaces anything outside through write_file', async () => {
      const report = await race((round) =>
        tool(
          'root',
          'write_file',
          { path: round % 2 === 0 ? 'd/victim.txt' : `d/created-${round}.txt`, content: `PWNED ${round}\n` },
          JUSTIFICATION,
        ),
      );
      expectOutsideUntouched();
      expectNothingCrossed(report);
    }, 60_000);
  });
});
