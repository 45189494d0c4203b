import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Response } from 'express';
import { DEFAULT_LOG_FOLLOW_LIMITS, LogFollow, splitStamp, tailOf } from './docker-log-follow';

/** Just what LogFollow uses of an Express response; `full` makes write() report a full buffer. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  full = false;
  writableEnded = false;
  destroyed = false;
  write(text: string): boolean {
    this.written.push(text);
    return !this.full;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
  events(name: string): unknown[] {
    return this.written
      .filter((text) => text.startsWith(`event: ${name}\n`))
      .map((text) => JSON.parse(text.split('\n')[1].slice('data: '.length)) as unknown);
  }
}

const stamped = (time: string, text: string) => Buffer.from(`${time} ${text}\n`);

function start(limits: Partial<typeof DEFAULT_LOG_FOLLOW_LIMITS> = {}, resume?: { key: string; equal: number }) {
  const response = new FakeResponse();
  const source = new PassThrough();
  let closed = 0;
  const follow = new LogFollow(
    response as unknown as Response,
    source,
    resume,
    { ...DEFAULT_LOG_FOLLOW_LIMITS, flushMs: 5, ...limits },
    () => (closed += 1),
  );
  follow.start();
  return { response, source, follow, closed: () => closed };
}

describe('docker log timestamps', () => {
  it('orders fractions of different lengths as times, not as text', () => {
    const a = splitStamp('2026-11-29T11:37:13.1234Z first');
    const b = splitStamp('2026-11-29T11:37:13.12345Z second');
    const c = splitStamp('2026-11-29T11:37:13Z whole second');
    expect(a).toMatchObject({ key: '2026-11-29T11:37:13.123400000', text: 'first', seconds: Date.UTC(2026, 10, 29, 11, 37, 13) / 1000 });
    expect(a!.key < b!.key).toBe(true);
    expect(c!.key < a!.key).toBe(true);
    expect(splitStamp('no stamp here')).toBeUndefined();
  });

  it('reads a tail into lines and where to resume, counting lines that share the last time', () => {
    const tail = tailOf('2026-11-29T11:37:13.1Z one\n2026-11-29T11:37:14.5Z two\n2026-11-29T11:37:14.5Z three\n');
    expect(tail).toEqual({
      lines: ['one', 'two', 'three'],
      resume: { key: '2026-11-29T11:37:14.500000000', equal: 2 },
      resumeSeconds: Date.UTC(2026, 10, 29, 11, 37, 14) / 1000,
    });
    expect(tailOf('')).toEqual({ lines: [], resume: undefined, resumeSeconds: undefined });
  });
});

describe('LogFollow', () => {
  it('skips what the tail already sent, batches new lines and cuts very long ones', async () => {
    const { response, follow } = start({ maxLineChars: 40 }, { key: '2026-11-29T11:37:14.500000000', equal: 1 });
    follow.accept(stamped('2026-11-29T11:37:14.1Z', 'older'));
    follow.accept(stamped('2026-11-29T11:37:14.5Z', 'already sent'));
    follow.accept(stamped('2026-11-29T11:37:14.5Z', 'same time, new'));
    follow.accept(Buffer.from('2026-11-29T11:37:15Z split '));
    follow.accept(Buffer.from('line\r\n'));
    follow.accept(stamped('2026-11-29T11:37:16Z', 'x'.repeat(50)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(response.events('lines')).toEqual([{ lines: ['same time, new', 'split line', `${'x'.repeat(40)}…`] }]);
    follow.close();
  });

  it('pauses the docker stream while the response is full and resumes it on drain', () => {
    const { response, source, follow } = start({ maxBatchLines: 2 });
    response.full = true;
    follow.accept(
      Buffer.concat([stamped('2026-11-29T11:37:15Z', 'a'), stamped('2026-11-29T11:37:16Z', 'b'), stamped('2026-11-29T11:37:17Z', 'c')]),
    );
    expect(response.events('lines')).toEqual([{ lines: ['a', 'b'] }]);
    expect(source.isPaused()).toBe(true);
    expect(follow.paused).toBe(true);
    response.full = false;
    response.emit('drain');
    expect(response.events('lines')).toEqual([{ lines: ['a', 'b'] }, { lines: ['c'] }]);
    expect(source.isPaused()).toBe(false);
    follow.close();
  });

  it('ends with an `end` event at the time limit and stops the docker stream', () => {
    jest.useFakeTimers();
    try {
      const { response, source, closed } = start({ maxDurationMs: 60_000, heartbeatMs: 15_000 });
      jest.advanceTimersByTime(15_000);
      expect(response.written).toContain(': heartbeat\n\n');
      jest.advanceTimersByTime(45_000);
      expect(response.events('end')).toEqual([
        { reason: 'time-limit', message: 'Following stops after 1 minutes; open it again to go on' },
      ]);
      expect(source.destroyed).toBe(true);
      expect(response.writableEnded).toBe(true);
      expect(closed()).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops the docker stream, without an event, when the client goes away', () => {
    const { response, source, closed } = start();
    response.destroyed = true;
    response.emit('close');
    expect(source.destroyed).toBe(true);
    expect(response.events('end')).toEqual([]);
    expect(closed()).toBe(1);
  });
});
