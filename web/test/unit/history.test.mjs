import test from 'node:test';
import assert from 'node:assert/strict';
import { parseIndex, atPosition, positionLabel, LatestOnly, Lru } from '../../../server/src/main/resources/web/lib/history.js';

const index = parseIndex({
  points: [
    { seq: 0, time: '2026-03-01T10:00:00Z', url: '/history/canvas/0' },
    { seq: 2, time: '2026-03-01T10:01:00Z', url: '/history/canvas/2' },
    { seq: 2, time: '2026-03-01T10:02:00Z', url: '/history/canvas/2' },
    { seq: 1, time: '2026-03-01T10:03:00Z', url: '/history/canvas/1' },
    { seq: 'x', time: '2026-03-01T10:04:00Z', url: '/history/canvas/x' },
    { seq: 5, time: 'not a time', url: '/history/canvas/5' },
    { seq: 7, time: '2026-03-01T10:05:00Z', url: '/history/canvas/7' },
  ],
  live: { seq: 9, url: '/canvas' },
});

test('the index keeps well-formed points that move forward in seq and time', () => {
  assert.deepEqual(index.points.map((p) => p.seq), [0, 2, 7]);
  assert.equal(index.points[1].time, Date.parse('2026-03-01T10:01:00Z'));
  assert.equal(index.liveSeq, 9);
});

test('a missing or broken index has no points and the slider shows live', () => {
  for (const json of [null, {}, { points: 'nope' }]) {
    const empty = parseIndex(json);
    assert.deepEqual(empty.points, []);
    assert.deepEqual(atPosition(empty, 0), { live: true });
  }
});

test('each slider position shows its point and the right end shows live', () => {
  assert.equal(atPosition(index, 0).point.seq, 0);
  assert.equal(atPosition(index, '1').point.seq, 2);
  assert.equal(atPosition(index, 2).point.seq, 7);
  assert.deepEqual(atPosition(index, 3), { live: true });
  assert.deepEqual(atPosition(index, -1), { live: true });
  assert.deepEqual(atPosition(index, 'abc'), { live: true });
});

test('the label says Live at the right end and the point time elsewhere', () => {
  assert.equal(positionLabel({ live: true }), 'Live');
  assert.match(positionLabel(atPosition(index, 1), 'en-GB'), /2026/);
});

test('dragging fetches one point at a time and then only the newest wish', () => {
  const q = new LatestOnly();
  assert.equal(q.want('a'), true);
  assert.equal(q.want('b'), false);
  assert.equal(q.want('c'), false);
  assert.equal(q.done(), 'c', 'b was overtaken by c');
  assert.equal(q.want('c'), false, 'c is already in flight');
  assert.equal(q.done(), null);
  assert.equal(q.want('d'), true);
});

test('wishing again for the point in flight cancels an older wish', () => {
  const q = new LatestOnly();
  q.want('a');
  q.want('b');
  q.want('a');
  assert.equal(q.done(), null);
});

test('the cache of fetched points keeps the most recently used ones', () => {
  const lru = new Lru(2);
  lru.set(1, 'one');
  lru.set(2, 'two');
  assert.equal(lru.get(1), 'one');
  lru.set(3, 'three');
  assert.equal(lru.get(2), undefined);
  assert.equal(lru.get(1), 'one');
  assert.equal(lru.get(3), 'three');
});
