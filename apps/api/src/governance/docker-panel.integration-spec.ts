import { randomBytes } from 'node:crypto';
import { skipUnlessCi } from '@aegis/testing';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import Dockerode from 'dockerode';
import type request from 'supertest';
import { startRedteamServer, type RedteamServer } from '../redteam/redteam-server';
import { openEventStream, type EventStream, type StreamEvent } from '../testing/event-stream-client';
import { cookieHeader } from '../testing/http-session';
import { DockerLogFollows } from './docker-log-follow';

// The Docker panel's API against the real daemon (docs/sandbox.md "Docker panel"): a container
// started by the test ticks five lines a second (every fifth also on stderr), and the server
// lists it, reads, searches, downloads and follows its log, and refuses what is off the allowlist.
// With CI=true Docker is required: these tests never skip there.

type Schemas = ApiComponents['schemas'];
const IMAGE = 'aegis-sandbox:local';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;
const TICKER = 'i=0; while :; do i=$((i+1)); echo "tick $i"; if [ $((i % 5)) -eq 0 ]; then echo "warn $i" >&2; fi; sleep 0.2; done';

async function dockerProblem(docker: Dockerode): Promise<string | undefined> {
  try {
    await docker.ping();
    await docker.getImage(IMAGE).inspect();
    return undefined;
  } catch (error) {
    return `Docker or ${IMAGE} is not available: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The tick numbers in `lines`, in order. */
const ticks = (lines: string[]) => lines.filter((line) => line.startsWith('tick ')).map((line) => Number(line.slice(5)));
const linesOf = (event: StreamEvent) => (JSON.parse(event.data) as { lines: string[] }).lines;
const allLines = (stream: EventStream) => stream.events.filter((event) => event.event === 'lines').flatMap(linesOf);

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the Docker panel API against a real Docker daemon', () => {
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const suffix = randomBytes(4).toString('hex');
  const ticker = `aegis-test-${suffix}`;
  const stopper = `aegis-test-stop-${suffix}`;
  const hidden = `aegis-test-hidden-${suffix}`;
  const absent = `aegis-test-absent-${suffix}`;
  let skip: string | undefined;
  let server: RedteamServer;
  const streams: EventStream[] = [];

  const follow = async (who: 'opal' | 'otto' | 'vera' | 'root', container: string, query = '') => {
    const stream = await openEventStream(`${server.baseUrl}/api/docker/containers/${container}/logs/stream${query}`, {
      Cookie: cookieHeader(server.sessions[who]),
    });
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    skip = skipUnlessCi('Docker', await dockerProblem(docker));
    if (skip) return;
    for (const [name, script] of [
      [ticker, TICKER],
      [stopper, 'echo ready; sleep 600'],
      [hidden, 'echo hidden secret; sleep 600'],
    ]) {
      const container = await docker.createContainer({
        Image: IMAGE,
        name,
        Cmd: ['sh', '-c', script],
        HostConfig: { Init: true, NetworkMode: 'none' },
      });
      await container.start();
    }
    server = await startRedteamServer({ env: { DOCKER_CONTAINER_ALLOWLIST: [ticker, stopper, absent].join(',') } });
    // A second before the tests, so the tail has lines.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }, 60_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await server?.close();
    for (const name of [ticker, stopper, hidden])
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => undefined);
  });

  const test = (title: string, body: () => Promise<void>, timeoutMs = 30_000) =>
    it(
      title,
      async () => {
        if (skip) {
          console.warn(`Skipped (not in CI): ${skip}`);
          return;
        }
        await body();
      },
      timeoutMs,
    );

  test('lists the allowlisted containers with state, start time, uptime and health; operators only', async () => {
    await server.as('vera').get('/api/docker/status').expect(403);
    const status = (await server.as('opal').get('/api/docker/status').expect(200)).body as Schemas['DockerStatusDto'];
    expect(status.available).toBe(true);
    expect(status.containers.map((container) => container.name)).toEqual([ticker, stopper].sort());
    const listed = status.containers.find((container) => container.name === ticker);
    const details = await docker.getContainer(ticker).inspect();
    expect(listed).toEqual({
      id: details.Id.slice(0, 12),
      name: ticker,
      image: IMAGE,
      state: 'running',
      status: expect.stringMatching(/^Up /) as string,
      createdAt: new Date(Math.floor(Date.parse(details.Created) / 1000) * 1000).toISOString(),
      startedAt: details.State.StartedAt,
      uptimeSeconds: expect.any(Number) as number,
      health: 'none',
      restartCount: 0,
    });
    expect(listed?.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(status)).not.toContain(hidden);
  });

  test('reads the tail demultiplexed, filters it by a search, downloads it as text; validates the query', async () => {
    const tail = (await server.as('opal').get(`/api/docker/containers/${ticker}/logs?tail=10`).expect(200))
      .body as Schemas['DockerLogsDto'];
    expect(tail).toMatchObject({ container: ticker, id: expect.stringMatching(/^[0-9a-f]{12}$/) as string, truncated: false });
    const lines = tail.logs.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    // No frame header bytes: stdout and stderr are demultiplexed into plain lines.
    for (const line of lines) expect(line).toMatch(/^(tick|warn) \d+$/);

    const warnings = (await server.as('opal').get(`/api/docker/containers/${ticker}/logs?tail=200&search=WARN`).expect(200))
      .body as Schemas['DockerLogsDto'];
    const found = warnings.logs.trimEnd().split('\n');
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) expect(line).toMatch(/^warn \d+$/);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      ((await server.as('opal').get(`/api/docker/containers/${ticker}/logs?since=${future}`).expect(200)).body as Schemas['DockerLogsDto'])
        .logs,
    ).toBe('');

    const download = await server.as('opal').get(`/api/docker/containers/${ticker}/logs?download=1&search=tick`).expect(200);
    expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(download.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="${ticker}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.log"$`),
    );
    expect(download.text).toMatch(/^tick 1\n/);
    expect(
      download.text
        .trimEnd()
        .split('\n')
        .every((line) => line.startsWith('tick ')),
    ).toBe(true);

    for (const query of ['tail=0', 'tail=5001', 'since=yesterday', 'search=' + 'x'.repeat(201), 'download=maybe', 'follow=1']) {
      expect(errorOf(await server.as('opal').get(`/api/docker/containers/${ticker}/logs?${query}`).expect(400)).code).toBe(
        'VALIDATION_FAILED',
      );
    }
    expect(errorOf(await server.as('opal').get('/api/docker/containers/..bad/logs').expect(422)).code).toBe('INVALID_ARGUMENTS');
    await server.as('vera').get(`/api/docker/containers/${ticker}/logs`).expect(403);
  });

  test('refuses a container off the allowlist (403, nothing of it shown) and answers 404 for an allowlisted one that does not exist', async () => {
    const refused = await server.as('root').get(`/api/docker/containers/${hidden}/logs?download=1`).expect(403);
    expect(errorOf(refused)).toMatchObject({ code: 'FORBIDDEN', message: `container '${hidden}' is not on the container allowlist` });
    expect(refused.text).not.toContain('hidden secret');
    const byId = (await docker.getContainer(hidden).inspect()).Id.slice(0, 12);
    await server.as('root').get(`/api/docker/containers/${byId}/logs`).expect(403);
    expect(errorOf(await server.as('opal').get(`/api/docker/containers/${absent}/logs`).expect(404)).code).toBe('NOT_FOUND');
    await server.as('opal').post(`/api/docker/containers/${hidden}/restart`).expect(403);
  });

  test('follows the log live over SSE: the tail, then new lines without gaps or repeats, stderr included; stops docker when the client goes', async () => {
    const follows = server.app.get(DockerLogFollows);
    const stream = await follow('opal', ticker, '?tail=5');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
    const open = JSON.parse((await stream.next((event) => event.event === 'open')).data) as Record<string, unknown>;
    expect(open).toMatchObject({
      container: ticker,
      tail: 5,
      truncated: false,
      maxDurationSeconds: 1800,
      actionId: expect.any(String) as string,
    });
    const first = ticks(linesOf(await stream.next((event) => event.event === 'lines')));
    expect(first.length).toBeGreaterThanOrEqual(4);
    const lastOfTail = first[first.length - 1];
    // Live: ticks written after the follow started (2 s = ~10 new ones).
    await until(() => Math.max(...ticks(allLines(stream))) >= lastOfTail + 10, 'ten new ticks');
    const seen = ticks(allLines(stream));
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, index) => seen[0] + index));
    expect(allLines(stream).some((line) => line.startsWith('warn '))).toBe(true);
    expect(follows.active).toBe(1);

    const audited = (await server.as('root').get('/api/audit?action=tool.docker_logs&limit=5').expect(200)).body as Schemas['AuditPageDto'];
    expect(audited.items[0]).toMatchObject({ decision: 'allowed', actorName: 'opal' });
    expect(audited.items.some((entry) => JSON.stringify(entry.args).includes('"timestamps":true'))).toBe(true);

    stream.close();
    await until(() => follows.active === 0 && follows.open.length === 0, 'the server to stop the docker stream');
  });

  test('ends the follow with `end` when the container stops', async () => {
    const stream = await follow('otto', stopper);
    expect(linesOf(await stream.next((event) => event.event === 'lines'))).toEqual(['ready']);
    await docker.getContainer(stopper).stop({ t: 0 });
    const end = JSON.parse((await stream.next((event) => event.event === 'end')).data) as Record<string, unknown>;
    expect(end).toEqual({ reason: 'container-stopped', message: 'The container stopped, so its log ended' });
    await stream.ended;
    await until(() => server.app.get(DockerLogFollows).active === 0, 'the follow to close');
    await docker.getContainer(stopper).start();
  });

  test('refuses a follow of a container off the allowlist, a viewer, bad input, and a fourth follow at once', async () => {
    const offList = await follow('root', hidden);
    expect(offList.status).toBe(403);
    expect(JSON.parse(offList.body)).toMatchObject({ code: 'FORBIDDEN' });
    expect(offList.body).not.toContain('hidden secret');
    expect((await follow('vera', ticker)).status).toBe(403);
    expect((await follow('opal', ticker, '?tail=1001')).status).toBe(400);
    expect((await follow('opal', ticker, '?tail=abc')).status).toBe(400);

    const open = [
      await follow('opal', ticker, '?tail=1'),
      await follow('opal', ticker, '?tail=1'),
      await follow('opal', ticker, '?tail=1'),
    ];
    for (const stream of open) expect(stream.status).toBe(200);
    const fourth = await follow('opal', ticker, '?tail=1');
    expect(fourth.status).toBe(429);
    expect(JSON.parse(fourth.body)).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'At most 3 log follows may be open at once per user; close one first',
    });
    // Another user is not held back by opal's follows.
    expect((await follow('otto', ticker, '?tail=1')).status).toBe(200);
    open[0].close();
    await until(() => server.app.get(DockerLogFollows).open.length === 3, 'one follow to close');
    expect((await follow('opal', ticker, '?tail=1')).status).toBe(200);
  });

  test('restarts an allowlisted container through governance for an operator (MODERATE: runs now, verified)', async () => {
    await server.as('vera').post(`/api/docker/containers/${ticker}/restart`, { justification: 'stuck' }).expect(403);
    const restarted = (
      await server.as('opal').post(`/api/docker/containers/${ticker}/restart`, { justification: 'The ticker is stuck' }).expect(200)
    ).body as Schemas['ExecutedActionDto'];
    expect(restarted.result).toMatchObject({ status: 'completed', actionClass: 'MODERATE', verification: { verified: true } });
    const status = (await server.as('opal').get('/api/docker/status').expect(200)).body as Schemas['DockerStatusDto'];
    expect(status.containers.find((container) => container.name === ticker)).toMatchObject({ state: 'running' });
  });
});

describe('the Docker panel API when Docker cannot be reached', () => {
  let server: RedteamServer;
  const socket = join(tmpdir(), `aegis-no-docker-${randomBytes(4).toString('hex')}.sock`);

  beforeAll(async () => {
    server = await startRedteamServer({ env: { DOCKER_SOCKET: socket, DOCKER_CONTAINER_ALLOWLIST: 'web' } });
  }, 60_000);
  afterAll(() => server?.close());

  it('says why in the status, and answers 503 CAPABILITY_UNAVAILABLE for logs, follow and restart', async () => {
    const status = (await server.as('opal').get('/api/docker/status').expect(200)).body as Schemas['DockerStatusDto'];
    expect(status).toEqual({
      available: false,
      containers: [],
      reason: `Docker is not reachable: ${socket} does not exist; is Docker installed and running, and is DOCKER_SOCKET right? (connect ENOENT ${socket})`,
    });
    expect(errorOf(await server.as('opal').get('/api/docker/containers/web/logs').expect(503)).code).toBe('CAPABILITY_UNAVAILABLE');
    const stream = await openEventStream(`${server.baseUrl}/api/docker/containers/web/logs/stream`, {
      Cookie: cookieHeader(server.sessions.opal),
    });
    expect(stream.status).toBe(503);
    expect(JSON.parse(stream.body)).toMatchObject({
      code: 'CAPABILITY_UNAVAILABLE',
      message: expect.stringContaining('does not exist') as string,
    });
    expect(errorOf(await server.as('opal').post('/api/docker/containers/web/restart').expect(503)).code).toBe('CAPABILITY_UNAVAILABLE');
  });
});
