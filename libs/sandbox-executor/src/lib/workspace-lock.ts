import { abortReason } from './drivers/process-run';

export type WorkspaceLockMode = 'shared' | 'exclusive';

interface Waiter {
  mode: WorkspaceLockMode;
  grant: () => void;
}

/**
 * A first-come, first-served reader/writer lock over the workspace (docs/sandbox.md "Git"): a
 * git command holds it exclusively from the check of its repository until its processes are
 * gone, so no other command can rewrite `.git/config` in between; commands that can write hold
 * it shared and run side by side. A waiting exclusive request holds back later shared ones.
 */
export class WorkspaceLock {
  private shared = 0;
  private exclusive = false;
  private readonly queue: Waiter[] = [];

  /** Waits for the lock (or rejects with the signal's reason) and returns its release, which is idempotent. */
  acquire(mode: WorkspaceLockMode, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        mode,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.release(mode);
          });
        },
      };
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index === -1) return;
        this.queue.splice(index, 1);
        reject(abortReason(signal as AbortSignal));
        this.grantWaiting();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.grantWaiting();
    });
  }

  private release(mode: WorkspaceLockMode): void {
    if (mode === 'exclusive') this.exclusive = false;
    else this.shared -= 1;
    this.grantWaiting();
  }

  private grantWaiting(): void {
    while (this.queue.length > 0 && !this.exclusive) {
      const head = this.queue[0];
      if (head.mode === 'exclusive' && this.shared > 0) return;
      this.queue.shift();
      if (head.mode === 'exclusive') this.exclusive = true;
      else this.shared += 1;
      head.grant();
    }
  }
}
