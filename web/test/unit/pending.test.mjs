import test from 'node:test';
import assert from 'node:assert/strict';
import { PendingPaints } from '../../../server/src/main/resources/web/lib/pending.js';

test('a pending paint shows over the bitmap until it is rejected', () => {
  const p = new PendingPaints();
  p.add('c1', 3, 4, 7);
  assert.equal(p.displayIndex(3, 4), 7);
  assert.equal(p.reject('c1').x, 3);
  assert.equal(p.displayIndex(3, 4), null);
  assert.equal(p.size, 0);
});

test('an acked paint stays shown until the bitmap reaches its seq', () => {
  const p = new PendingPaints();
  p.add('c1', 0, 0, 2);
  assert.ok(p.ack('c1', 15, 10));
  assert.equal(p.displayIndex(0, 0), 2);
  assert.deepEqual(p.settle(14), []);
  assert.equal(p.settle(15).length, 1);
  assert.equal(p.displayIndex(0, 0), null);
});

test('an ack that arrives after its batch was applied settles at once', () => {
  const p = new PendingPaints();
  p.add('c1', 0, 0, 2);
  p.ack('c1', 9, 12);
  assert.equal(p.size, 0);
});

test('rejecting an earlier paint of the same pixel keeps the later one visible', () => {
  const p = new PendingPaints();
  p.add('c1', 1, 1, 2);
  p.add('c2', 1, 1, 3);
  p.reject('c1');
  assert.equal(p.displayIndex(1, 1), 3);
  p.reject('c2');
  assert.equal(p.displayIndex(1, 1), null);
});

test('rejecting the later paint of a pixel falls back to the earlier pending one', () => {
  const p = new PendingPaints();
  p.add('c1', 1, 1, 2);
  p.add('c2', 1, 1, 3);
  p.reject('c2');
  assert.equal(p.displayIndex(1, 1), 2);
});

test('dropping unacked paints keeps the acked ones, which catch-up will confirm', () => {
  const p = new PendingPaints();
  p.add('c1', 1, 1, 2);
  p.add('c2', 2, 2, 3);
  p.ack('c1', 20, 10);
  const dropped = p.dropUnacked();
  assert.deepEqual(dropped.map((e) => e.id), ['c2']);
  assert.equal(p.displayIndex(1, 1), 2);
  assert.equal(p.displayIndex(2, 2), null);
});

test('answers for unknown ids are ignored', () => {
  const p = new PendingPaints();
  assert.equal(p.ack('nope', 1, 0), null);
  assert.equal(p.reject('nope'), null);
});
