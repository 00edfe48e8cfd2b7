import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Backoff } from '../../../server/src/main/resources/web/lib/backoff.js';
import { sha256Hex, HashSchedule, normalizeHash } from '../../../server/src/main/resources/web/lib/hash.js';
import { linePixels } from '../../../server/src/main/resources/web/lib/line.js';
import { LockSet } from '../../../server/src/main/resources/web/lib/locks.js';
import { rejectText, pixelUpdate, parseFrame } from '../../../server/src/main/resources/web/lib/messages.js';

test('the bitmap hash is the lowercase SHA-256 hex of its bytes', async () => {
  const bytes = new Uint8Array(900 * 900).map((_, i) => i % 32);
  assert.equal(await sha256Hex(bytes), createHash('sha256').update(bytes).digest('hex'));
});

test('ETag values and hashes are compared unquoted and lower-case', () => {
  const h = 'A'.repeat(64);
  assert.equal(normalizeHash(`"${h}"`), 'a'.repeat(64));
  assert.equal(normalizeHash('W/"xyz"'), null);
});

test('hash checks run at most once per interval and never overlap', () => {
  let t = 0;
  const s = new HashSchedule(5000, () => t);
  assert.ok(s.due());
  s.start();
  assert.equal(s.due(), false);
  s.finish();
  t = 4999;
  assert.equal(s.due(), false);
  t = 5000;
  assert.ok(s.due());
});

test('reconnect delays grow exponentially with jitter, cap out, and reset', () => {
  const b = new Backoff({ baseMs: 500, maxMs: 4000, random: () => 1 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [500, 1000, 2000, 4000, 4000]);
  b.reset();
  assert.equal(b.next(), 500);
  const low = new Backoff({ baseMs: 500, random: () => 0 });
  assert.equal(low.next(), 250);
});

test('a stroke line includes both ends and has no holes', () => {
  const pts = linePixels(0, 0, 5, 2);
  assert.deepEqual(pts[0], { x: 0, y: 0 });
  assert.deepEqual(pts.at(-1), { x: 5, y: 2 });
  assert.equal(pts.length, 6);
  for (let i = 1; i < pts.length; i++) {
    assert.ok(Math.abs(pts[i].x - pts[i - 1].x) <= 1 && Math.abs(pts[i].y - pts[i - 1].y) <= 1);
  }
  assert.deepEqual(linePixels(3, 3, 3, 3), [{ x: 3, y: 3 }]);
  assert.equal(linePixels(4, 9, 4, 0).length, 10);
});

test('locks are inclusive rectangles keyed by their corners, and expired ones vanish', () => {
  let t = Date.parse('2030-01-01T00:00:00Z');
  const locks = new LockSet(() => t);
  locks.add({ x1: 2, y1: 2, x2: 4, y2: 3, reason: 'art' });
  locks.add({ x1: 10, y1: 10, x2: 10, y2: 10, expiresAt: '2030-01-01T00:00:05Z' });
  assert.ok(locks.find(4, 3));
  assert.equal(locks.find(5, 3), null);
  assert.ok(locks.find(10, 10));
  assert.equal(locks.nextExpiry(), Date.parse('2030-01-01T00:00:05Z'));
  t += 5000;
  assert.equal(locks.find(10, 10), null);
  assert.ok(locks.remove({ x1: 2, y1: 2, x2: 4, y2: 3 }));
  assert.equal(locks.active().length, 0);
  assert.equal(locks.add({ x1: 5, y1: 0, x2: 4, y2: 0 }), false);
});

test('reject reasons are explained in words, with a countdown where one applies', () => {
  assert.match(rejectText('rate_limited', 2100), /again in 3 s/);
  assert.match(rejectText('locked_region', 0), /locked/);
  assert.match(rejectText('banned', 0), /banned/);
  assert.match(rejectText('unavailable', 500), /in 1 s/);
  assert.match(rejectText('something_new', 0, 'custom words'), /custom words/);
});

test('an eraser update carries no colour and a brush update does', () => {
  assert.deepEqual(pixelUpdate('c1', 1, 2, 'eraser', '#FF0000'), { type: 'pixel:update', id: 'c1', data: { x: 1, y: 2, tool: 'eraser' } });
  assert.equal(pixelUpdate('c2', 1, 2, 'brush', '#FF0000').data.color, '#FF0000');
});

test('frames that are not JSON objects with a type are ignored', () => {
  assert.equal(parseFrame('nope'), null);
  assert.equal(parseFrame('[1]'), null);
  assert.equal(parseFrame('{"type":"heartbeat"}').type, 'heartbeat');
});

test('the plain SHA-256 fallback agrees with node:crypto at every padding boundary', async () => {
  const { sha256HexSync } = await import('../../../server/src/main/resources/web/lib/sha256.js');
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 900 * 900]) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
    assert.equal(sha256HexSync(bytes), createHash('sha256').update(bytes).digest('hex'), `length ${n}`);
  }
  assert.equal(sha256HexSync(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
