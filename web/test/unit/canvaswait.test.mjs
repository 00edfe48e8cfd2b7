import test from 'node:test';
import assert from 'node:assert/strict';
import { retryAfterMs, canvasWaitReason, canvasWaitCountdown } from '../../../server/src/main/resources/web/lib/canvaswait.js';
import { CanvasClient } from '../../../server/src/main/resources/web/lib/sync.js';
import { FakeClock, FakeServer, flush } from './fakes.mjs';

const NOW = Date.parse('2030-01-01T00:00:00Z');

test('Retry-After in seconds becomes milliseconds', () => {
  assert.equal(retryAfterMs('42', NOW), 42_000);
});

test('Retry-After as an HTTP date becomes the time until then', () => {
  assert.equal(retryAfterMs(new Date(NOW + 7000).toUTCString(), NOW), 7000);
});

test('a missing, unreadable, zero or past Retry-After gives no delay, so the caller backs off', () => {
  for (const header of [null, undefined, '', 'soon', '-3', '1.5', '0', new Date(NOW - 1000).toUTCString()]) {
    assert.equal(retryAfterMs(header, NOW), null, String(header));
  }
});

test('each refusal has its own reason', () => {
  assert.match(canvasWaitReason(429), /too many canvas loads/i);
  assert.match(canvasWaitReason(503), /busy/i);
  assert.match(canvasWaitReason(0), /could not be reached/i);
});

test('the countdown rounds up to whole seconds and ends in trying now', () => {
  assert.equal(canvasWaitCountdown(NOW + 41_001, NOW), 'Trying again in 42 s…');
  assert.equal(canvasWaitCountdown(NOW + 1, NOW), 'Trying again in 1 s…');
  assert.equal(canvasWaitCountdown(NOW, NOW), 'Trying again now…');
});

test('a rate-limited first load tells why and when it retries, then loads the canvas at that time', async () => {
  const clock = new FakeClock();
  const server = new FakeServer();
  server.canvasStatus.push({ status: 429, headers: { 'Retry-After': '30' } });
  server.paint(1, 1, 2);
  const client = new CanvasClient({
    httpBase: 'http://pixels.test', wsBase: 'ws://pixels.test', fetch: server.fetch, WebSocket: server.WebSocket,
    now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, random: () => 1,
  });
  const waits = [];
  let loaded = false;
  client.on('canvas-wait', (w) => waits.push(w));
  client.on('canvas', () => (loaded = true));

  const starting = client.start();
  await flush();
  assert.deepEqual(waits, [{ status: 429, retryAt: clock.t + 30_000 }]);
  await clock.advance(29_999);
  assert.equal(loaded, false);
  await clock.advance(1);
  await starting;
  assert.equal(loaded, true);
  assert.equal(client.bitmap.get(1, 1), 2);
  client.stop();
});
