// Reconnect delays: exponential with full jitter so that a server restart is
// not greeted by every client at the same instant.

export class Backoff {
  constructor({ baseMs = 500, maxMs = 15_000, random = Math.random } = {}) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.random = random;
    this.attempt = 0;
  }

  /** Delay before the next attempt; grows with each call until reset(). */
  next() {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt++;
    // Never below half the ceiling, so retries still spread out as they grow.
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  reset() {
    this.attempt = 0;
  }
}
