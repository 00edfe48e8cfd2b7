// Client-side estimate of the server's per-user limits (token bucket plus a
// rolling minute). It only paces drawing strokes and drives the indicator;
// the server stays the authority, and its rejects correct the estimate.

export const DEFAULT_LIMITS = Object.freeze({ perSecond: 10, burst: 20, perMinute: 100 });

export class RateEstimator {
  constructor(limits = DEFAULT_LIMITS, now = () => Date.now()) {
    this.now = now;
    this.setLimits(limits);
  }

  setLimits({ perSecond, burst, perMinute }) {
    this.perSecond = perSecond > 0 ? perSecond : 0;
    this.burst = burst > 0 ? burst : 0;
    this.perMinute = perMinute > 0 ? perMinute : 0;
    this.tokens = this.burst;
    this.last = this.now();
    this.sent = [];
    this.blockedUntil = 0;
  }

  get unlimited() {
    return this.perSecond === 0 && this.perMinute === 0;
  }

  #refill() {
    const t = this.now();
    if (this.perSecond > 0) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    }
    this.last = t;
    while (this.sent.length && this.sent[0] <= t - 60_000) this.sent.shift();
    return t;
  }

  /** Whole pixels that could be sent right now. */
  remaining() {
    const t = this.#refill();
    if (t < this.blockedUntil) return 0;
    let n = this.perSecond > 0 ? Math.floor(this.tokens + 1e-9) : Infinity;
    if (this.perMinute > 0) n = Math.min(n, this.perMinute - this.sent.length);
    return Math.max(0, n);
  }

  capacity() {
    return this.perSecond > 0 ? this.burst : this.perMinute;
  }

  /** Milliseconds until one more pixel may be sent (0 = now). */
  waitMs() {
    const t = this.#refill();
    let wait = Math.max(0, this.blockedUntil - t);
    if (this.perSecond > 0 && this.tokens < 1) wait = Math.max(wait, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    if (this.perMinute > 0 && this.sent.length >= this.perMinute) wait = Math.max(wait, this.sent[0] + 60_000 - t);
    return wait;
  }

  canSend() {
    return this.waitMs() === 0;
  }

  /** Records one pixel sent to the server. */
  take() {
    const t = this.#refill();
    if (this.perSecond > 0) this.tokens = Math.max(0, this.tokens - 1);
    if (this.perMinute > 0) this.sent.push(t);
  }

  /** The server refused one pixel: it did not spend a token there. */
  refund() {
    this.#refill();
    if (this.perSecond > 0) this.tokens = Math.min(this.burst, this.tokens + 1);
    if (this.perMinute > 0) this.sent.pop();
  }

  /** The server said "rate_limited, retry in N ms": trust it over the estimate. */
  onRateLimited(retryAfterMs) {
    const t = this.#refill();
    this.tokens = 0;
    const ms = Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 1000;
    this.blockedUntil = Math.max(this.blockedUntil, t + ms);
  }

  /** Milliseconds left in a server-imposed cooldown, 0 if none. */
  cooldownMs() {
    return Math.max(0, this.blockedUntil - this.now());
  }
}
