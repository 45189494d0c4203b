import type { DriverAvailability } from '../executor.types';
import { errorMessage } from '../error-message';

/** A good answer is trusted for a while; a bad one is re-checked soon, so a driver that comes back is noticed. */
const TRUST_AVAILABLE_MS = 30_000;
const TRUST_UNAVAILABLE_MS = 3_000;

/** Memoises a driver's availability probe (one probe in flight at a time). */
export class AvailabilityCache {
  private last: { at: number; result: DriverAvailability } | undefined;
  private inFlight: Promise<DriverAvailability> | undefined;

  constructor(private readonly probe: () => Promise<DriverAvailability>) {}

  get(): Promise<DriverAvailability> {
    if (this.last) {
      const age = Date.now() - this.last.at;
      if (age < (this.last.result.available ? TRUST_AVAILABLE_MS : TRUST_UNAVAILABLE_MS)) return Promise.resolve(this.last.result);
    }
    this.inFlight ??= this.probe()
      .catch((error: unknown): DriverAvailability => ({ available: false, reason: errorMessage(error) }))
      .then((result) => {
        this.last = { at: Date.now(), result };
        this.inFlight = undefined;
        return result;
      });
    return this.inFlight;
  }

  /** Forget the last answer (a run just failed in a way that says the driver is gone). */
  invalidate(): void {
    this.last = undefined;
  }
}
