import { Logger } from '@nestjs/common';
import { errorMessage } from '../error-message';
import { abortReason } from './process-run';

/** A pre-started container and how often it has been used. */
export interface PooledContainer {
  id: string;
  uses: number;
}

export interface ContainerPoolHooks<T extends PooledContainer> {
  /** Creates and starts one container. */
  start(): Promise<T>;
  /** Kills and removes it; errors are ignored by the pool. */
  destroy(container: T): Promise<void>;
  /**
   * Makes a used container fit to serve another command, off the caller's path: true when nothing
   * of the last command is left (no process, an empty /tmp); false retires it.
   */
  recycle(container: T): Promise<boolean>;
}

export interface ContainerPoolOptions {
  /** Containers kept started while idle. */
  size: number;
  /** Upper bound under load; beyond it callers wait. */
  maxSize: number;
  /** A container is replaced after this many commands. */
  maxUses: number;
}

interface Waiter<T> {
  resolve: (container: T) => void;
  reject: (error: Error) => void;
}

/**
 * A few pre-started containers reused through `docker exec`, so a command costs an exec rather
 * than a container start. A container comes back only when it is clean and under its use
 * limit; otherwise it is destroyed and a replacement is started in the background.
 */
export class ContainerPool<T extends PooledContainer> {
  private readonly logger = new Logger(ContainerPool.name);
  private readonly idle: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private readonly background = new Set<Promise<unknown>>();
  /** Released containers not yet recycled or destroyed: their last command may still have processes. */
  private readonly recycling = new Set<Promise<unknown>>();
  /** Started, starting or busy containers (everything not yet destroyed). */
  private live = 0;
  private starting = 0;
  /** Containers being recycled that will come back: a waiter is served by one rather than by a new start. */
  private returning = 0;
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly hooks: ContainerPoolHooks<T>,
    private readonly options: ContainerPoolOptions,
  ) {}

  /** Starts containers in the background until `size` are live. */
  warm(): void {
    this.refill();
  }

  /** An idle container, a newly started one (under maxSize), or the next one released. */
  acquire(signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`the ${this.name} pool is closed`));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const ready = this.idle.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve: (container) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(container);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.refill();
    });
  }

  /** Gives a container back after a command; `reusable: false` (timeout, kill, error) replaces it. */
  release(container: T, reusable: boolean): void {
    container.uses += 1;
    const needed = this.live <= this.options.size || this.waiters.length > 0;
    const keep = reusable && !this.closed && container.uses < this.options.maxUses && needed;
    if (keep) this.returning += 1;
    const done = keep
      ? this.hooks
          .recycle(container)
          .catch(() => false)
          .then((clean) => {
            this.returning -= 1;
            return clean && !this.closed ? this.offer(container) : this.retire(container);
          })
      : this.retire(container);
    this.recycling.add(done);
    const forget = () => this.recycling.delete(done);
    void done.then(forget, forget);
    this.track(done);
  }

  /**
   * Resolves once every container released so far has been recycled or its destruction has
   * finished, i.e. no process of an earlier command is left in this pool.
   */
  async settled(): Promise<void> {
    while (this.recycling.size > 0) await Promise.allSettled([...this.recycling]);
  }

  /** Destroys every container, refuses waiters, and waits for background work. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`the ${this.name} pool is closed`));
    for (const container of this.idle.splice(0)) void this.retire(container);
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private offer(container: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(container);
    else this.idle.push(container);
  }

  /** Returns once the container is destroyed (a recycle waits on it, so settled() covers destruction too). */
  private retire(container: T): Promise<void> {
    this.live -= 1;
    const destroyed = this.hooks.destroy(container).catch(() => undefined);
    this.track(destroyed);
    this.refill();
    return destroyed;
  }

  /** Keeps `size` containers live, and starts more (up to maxSize) for callers nobody is starting one for. */
  private refill(): void {
    while (!this.closed) {
      const unserved = this.waiters.length - this.starting - this.returning;
      if (this.live < this.options.size || (unserved > 0 && this.live < this.options.maxSize)) this.startOne();
      else return;
    }
  }

  private startOne(): void {
    this.live += 1;
    this.starting += 1;
    this.track(
      this.hooks.start().then(
        (container) => {
          this.starting -= 1;
          if (this.closed) void this.retire(container);
          else this.offer(container);
        },
        (error: unknown) => {
          this.starting -= 1;
          this.live -= 1;
          const failure = new Error(errorMessage(error));
          this.logger.warn(`could not start a ${this.name} sandbox container: ${failure.message}`);
          // Without a container to come, waiters would wait forever: fail them with the reason.
          if (this.live === 0) for (const waiter of this.waiters.splice(0)) waiter.reject(failure);
        },
      ),
    );
  }

  private track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(settled);
    void settled.then(() => this.background.delete(settled));
  }
}
