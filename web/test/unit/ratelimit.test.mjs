import test from 'node:test';
import assert from 'node:assert/strict';
import { RateEstimator } from '../../../server/src/main/resources/web/lib/ratelimit.js';

function clock(t = 0) {
  const c = { t, now: () => c.t };
  return c;
}

test('a fresh estimator has the full burst available', () => {
  const c = clock();
  const r = new RateEstimator({ perSecond: 10, burst: 20, perMinute: 100 }, c.now);
  assert.equal(r.remaining(), 20);
  assert.equal(r.capacity(), 20);
});

test('spending the burst empties the bucket and it refills at the per-second rate', () => {
  const c = clock();
  const r = new RateEstimator({ perSecond: 10, burst: 20, perMinute: 0 }, c.now);
  for (let i = 0; i < 20; i++) r.take();
  assert.equal(r.remaining(), 0);
  assert.equal(r.waitMs(), 100);
  c.t += 250;
  assert.equal(r.remaining(), 2);
  c.t += 10_000;
  assert.equal(r.remaining(), 20);
});

test('the per-minute window caps sending even with tokens left', () => {
  const c = clock();
  const r = new RateEstimator({ perSecond: 1000, burst: 1000, perMinute: 3 }, c.now);
  r.take(); c.t += 1000; r.take(); r.take();
  assert.equal(r.remaining(), 0);
  assert.equal(r.waitMs(), 59_000);
  c.t += 59_000;
  assert.equal(r.remaining(), 1);
});

test('a server rate_limited reject overrides the estimate until retryAfterMs passes', () => {
  const c = clock();
  const r = new RateEstimator({ perSecond: 10, burst: 20, perMinute: 0 }, c.now);
  r.onRateLimited(1500);
  assert.equal(r.remaining(), 0);
  assert.equal(r.cooldownMs(), 1500);
  assert.equal(r.canSend(), false);
  c.t += 1500;
  assert.equal(r.cooldownMs(), 0);
  assert.ok(r.canSend());
  assert.equal(r.remaining(), 15);
});

test('a refused pixel refunds its token', () => {
  const c = clock();
  const r = new RateEstimator({ perSecond: 1, burst: 2, perMinute: 5 }, c.now);
  r.take(); r.take();
  r.refund();
  assert.equal(r.remaining(), 1);
});
