import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { AegisError, ErrorCode } from '@aegis/contracts';
import { type Caller, DOCKER_CLIENT, dockerUnreachableReason, ToolRegistry } from '@aegis/governance';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type Dockerode from 'dockerode';
import type { Request, Response } from 'express';
import { ApiException } from '../http/api.exception';
import { containerLogs } from './docker.service';
import { executedAction } from './present';

/** How long and how much one follow may run (docs/sandbox.md "Docker panel"). */
export interface LogFollowLimits {
  /** Follows one user may have open at once (an API key counts for its owner). */
  maxPerUser: number;
  /** A follow ends with `end` {reason: 'time-limit'} after this long. */
  maxDurationMs: number;
  /** A `: heartbeat` comment this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** New lines are sent at most this often, as one `lines` event. */
  flushMs: number;
  maxBatchLines: number;
  /** Longer lines are cut and end in `…`. */
  maxLineChars: number;
}

export const DEFAULT_LOG_FOLLOW_LIMITS: LogFollowLimits = {
  maxPerUser: 3,
  maxDurationMs: 30 * 60_000,
  heartbeatMs: 15_000,
  flushMs: 100,
  maxBatchLines: 500,
  maxLineChars: 16_384,
};

export type LogFollowEndReason = 'container-stopped' | 'time-limit' | 'error' | 'server-stopping';

/** The `open` event: what is followed, and the audited docker_logs action that started it. */
export interface LogFollowOpenEvent {
  container: string;
  id: string;
  actionId: string;
  tail: number;
  truncated: boolean;
  maxDurationSeconds: number;
}

/** A docker log line as read with `timestamps`: RFC 3339 with up to nine fraction digits, in UTC. */
const STAMPED_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z (.*)$/s;

/** The line's time as a key that sorts as text (the fraction padded to nanoseconds), and its text. */
export function splitStamp(line: string): { key: string; seconds: number; text: string } | undefined {
  const match = STAMPED_LINE.exec(line);
  if (!match) return undefined;
  const [, whole, fraction = '', text] = match;
  return { key: `${whole}.${fraction.padEnd(9, '0')}`, seconds: Math.floor(Date.parse(`${whole}Z`) / 1000), text };
}

export function sseEvent(event: string, data: unknown): string {
  // JSON.stringify escapes newlines, so the data is always one line.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Where the follow starts: lines up to this time were in the tail already (`equal` of them at exactly `key`). */
interface ResumePoint {
  key: string;
  equal: number;
}

/**
 * One open follow: docker's log stream (demultiplexed) → lines → `lines` events. When the
 * response's buffer is full the docker stream is paused, and resumed on `drain`.
 */
export class LogFollow {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private queue: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private blocked = false;
  private skipEqual: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private timeLimit: NodeJS.Timeout | undefined;
  closed = false;
  /** True while the docker stream is paused for backpressure. */
  paused = false;

  constructor(
    private readonly response: Response,
    private readonly source: Readable,
    private readonly resume: ResumePoint | undefined,
    private readonly limits: LogFollowLimits,
    private readonly onClosed: () => void,
  ) {
    this.skipEqual = resume?.equal ?? 0;
  }

  /** The docker stream is closed (by the end of the follow or by the daemon). */
  get sourceClosed(): boolean {
    return this.source.destroyed;
  }

  start(): void {
    // Unreferenced: an open follow never keeps the process alive by itself (the HTTP server does).
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), this.limits.heartbeatMs).unref();
    const minutes = Math.round(this.limits.maxDurationMs / 60_000);
    this.timeLimit = setTimeout(
      () => this.close('time-limit', `Following stops after ${minutes} minutes; open it again to go on`),
      this.limits.maxDurationMs,
    ).unref();
    this.source.on('end', () => this.close('container-stopped', 'The container stopped, so its log ended'));
    this.source.on('error', (error: unknown) => this.close('error', dockerUnreachableReason(error)));
    this.response.on('close', () => this.close());
  }

  /** A sink for docker's demultiplexer: stdout and stderr both arrive here, in order. */
  sink(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.accept(chunk);
        callback();
      },
    });
  }

  accept(chunk: Buffer): void {
    if (this.closed) return;
    this.partial += this.decoder.write(chunk);
    let newline = this.partial.indexOf('\n');
    while (newline >= 0) {
      this.line(this.partial.slice(0, newline));
      this.partial = this.partial.slice(newline + 1);
      newline = this.partial.indexOf('\n');
    }
    if (this.partial.length > this.limits.maxLineChars) {
      this.line(this.partial);
      this.partial = '';
    }
    if (this.queue.length >= this.limits.maxBatchLines) this.flush();
    else if (this.queue.length > 0 && !this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.limits.flushMs);
  }

  /** Sends what is queued, one event per batch; stops (and pauses docker) while the response is full. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.queue.length > 0 && !this.blocked && !this.closed) {
      const lines = this.queue.splice(0, this.limits.maxBatchLines);
      if (!this.response.write(sseEvent('lines', { lines }))) {
        this.blocked = true;
        this.paused = true;
        this.source.pause();
        this.response.once('drain', () => {
          this.blocked = false;
          this.flush();
          if (!this.blocked && !this.closed) {
            this.paused = false;
            this.source.resume();
          }
        });
      }
    }
  }

  /** Ends the follow: with an `end` event when the client is still there, and always stops the docker stream. */
  close(reason?: LogFollowEndReason, message?: string): void {
    if (this.closed) return;
    if (reason && !this.response.writableEnded && !this.response.destroyed) {
      this.flush();
      this.response.write(sseEvent('end', { reason, message }));
    }
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    clearInterval(this.heartbeat);
    clearTimeout(this.timeLimit);
    this.source.destroy();
    if (!this.response.writableEnded) this.response.end();
    this.onClosed();
  }

  private write(text: string): void {
    if (!this.closed && !this.response.writableEnded) this.response.write(text);
  }

  private line(raw: string): void {
    const stamped = splitStamp(raw.replace(/\r$/, ''));
    if (stamped && this.resume) {
      if (stamped.key < this.resume.key) return;
      if (stamped.key === this.resume.key && this.skipEqual > 0) {
        this.skipEqual -= 1;
        return;
      }
    }
    const text = stamped ? stamped.text : raw;
    this.queue.push(text.length > this.limits.maxLineChars ? `${text.slice(0, this.limits.maxLineChars)}…` : text);
  }
}

/** The lines of a tail read with timestamps, and where a follow resumes after them. */
export function tailOf(logs: string): { lines: string[]; resume: ResumePoint | undefined; resumeSeconds: number | undefined } {
  const lines: string[] = [];
  let resume: ResumePoint | undefined;
  let resumeSeconds: number | undefined;
  for (const raw of logs.split('\n')) {
    if (raw === '') continue;
    const stamped = splitStamp(raw.replace(/\r$/, ''));
    if (!stamped) {
      lines.push(raw);
      continue;
    }
    lines.push(stamped.text);
    if (resume?.key === stamped.key) resume.equal += 1;
    else if (!resume || stamped.key > resume.key) {
      resume = { key: stamped.key, equal: 1 };
      resumeSeconds = stamped.seconds;
    }
  }
  return { lines, resume, resumeSeconds };
}

/**
 * Live container logs as Server-Sent Events (docs/sandbox.md "Docker panel"). Each follow starts
 * with one audited docker_logs call through the registry (allowlist, role and policy apply, and
 * its refusals are the answer); only then is that container's log stream opened.
 */
@Injectable()
export class DockerLogFollows implements OnModuleDestroy {
  private readonly follows = new Set<LogFollow>();
  private readonly perUser = new Map<string, number>();
  private readonly limits = DEFAULT_LOG_FOLLOW_LIMITS;

  constructor(
    private readonly registry: ToolRegistry,
    @Inject(DOCKER_CLIENT) private readonly docker: Dockerode,
  ) {}

  /** Follows whose docker stream is still open. */
  get active(): number {
    return [...this.follows].filter((follow) => !follow.sourceClosed).length;
  }

  /** Every open follow (tests look at their state). */
  get open(): readonly LogFollow[] {
    return [...this.follows];
  }

  async follow(caller: Caller, container: string, tail: number, request: Request, response: Response): Promise<void> {
    let clientGone = false;
    response.once('close', () => (clientGone = true));
    const release = this.reserve(caller.userId);
    let source: Readable | undefined;
    try {
      const startedAt = Math.floor(Date.now() / 1000) - 1;
      const outcome = await this.registry.execute('docker_logs', { container, tail, timestamps: true }, caller);
      if (outcome.kind !== 'executed') throw new Error('docker_logs never needs an approval');
      const logs = containerLogs.parse(executedAction(outcome).result.output);
      const initial = tailOf(logs.logs);
      const target = this.docker.getContainer(logs.id);
      const details = await target.inspect();
      source = (await target.logs({
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        since: initial.resumeSeconds ?? startedAt,
      })) as unknown as Readable;
      if (clientGone || request.destroyed) {
        source.destroy();
        release();
        return;
      }
      const follow = new LogFollow(response, source, initial.resume, this.limits, () => {
        this.follows.delete(follow);
        release();
      });
      this.follows.add(follow);
      response.status(200);
      response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      response.setHeader('Cache-Control', 'no-cache, no-transform');
      response.setHeader('X-Accel-Buffering', 'no');
      response.flushHeaders();
      const open: LogFollowOpenEvent = {
        container: logs.container,
        id: logs.id,
        actionId: outcome.actionId,
        tail,
        truncated: logs.truncated,
        maxDurationSeconds: Math.round(this.limits.maxDurationMs / 1000),
      };
      response.write(sseEvent('open', open));
      for (let index = 0; index < initial.lines.length; index += this.limits.maxBatchLines) {
        response.write(sseEvent('lines', { lines: initial.lines.slice(index, index + this.limits.maxBatchLines) }));
      }
      follow.start();
      // A TTY container's log is plain text; any other is docker's multiplexed stdout/stderr frames.
      if (details.Config.Tty) source.on('data', (chunk: Buffer) => follow.accept(chunk));
      else this.docker.modem.demuxStream(source, follow.sink(), follow.sink());
    } catch (error) {
      source?.destroy();
      release();
      if (error instanceof AegisError) throw error;
      const status = typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : undefined;
      if (status === 404) throw new ApiException(ErrorCode.NotFound, `container '${container}' does not exist any more`);
      throw new ApiException(ErrorCode.CapabilityUnavailable, dockerUnreachableReason(error));
    }
  }

  onModuleDestroy(): void {
    for (const follow of [...this.follows]) follow.close('server-stopping', 'The server is stopping');
  }

  /** Counts one follow for `user`, refusing past the limit; returns its release (idempotent). */
  private reserve(user: string): () => void {
    const open = this.perUser.get(user) ?? 0;
    if (open >= this.limits.maxPerUser) {
      throw new ApiException(
        ErrorCode.RateLimited,
        `At most ${this.limits.maxPerUser} log follows may be open at once per user; close one first`,
      );
    }
    this.perUser.set(user, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perUser.get(user) ?? 1) - 1;
      if (left > 0) this.perUser.set(user, left);
      else this.perUser.delete(user);
    };
  }
}
