import test from 'node:test';
import assert from 'node:assert/strict';
import { classifyBatch, BatchBuffer } from '../../../server/src/main/resources/web/lib/seq.js';

test('the batch right after the current seq is applied in full', () => {
  assert.deepEqual(classifyBatch(10, 11, 13, 3), { action: 'apply', skip: 0 });
});

test('a batch after a missing seq is a gap naming the missing range', () => {
  assert.deepEqual(classifyBatch(10, 13, 14, 2), { action: 'gap', missingFrom: 11, missingTo: 12 });
});

test('a batch wholly at or below the current seq is a duplicate', () => {
  assert.deepEqual(classifyBatch(10, 5, 10, 6), { action: 'duplicate' });
});

test('an overlapping batch skips the pixels already applied', () => {
  assert.deepEqual(classifyBatch(10, 8, 12, 5), { action: 'apply', skip: 3 });
});

test('an overlapping batch whose pixel count does not match its seq range cannot be trimmed safely', () => {
  assert.equal(classifyBatch(10, 8, 12, 4).action, 'gap');
});

test('a batch with a backwards or missing seq range is invalid', () => {
  assert.equal(classifyBatch(0, 5, 4, 0).action, 'invalid');
  assert.equal(classifyBatch(0, undefined, 4, 0).action, 'invalid');
  assert.equal(classifyBatch(0, 0, 4, 0).action, 'invalid');
});

test('the first batch after loading the canvas at seq 0 starts at seq 1', () => {
  assert.deepEqual(classifyBatch(0, 1, 1, 1), { action: 'apply', skip: 0 });
});

test('the batch buffer hands back what it holds once and reports overflow', () => {
  const buf = new BatchBuffer(2);
  buf.push({ fromSeq: 1 });
  buf.push({ fromSeq: 2 });
  buf.push({ fromSeq: 3 });
  assert.deepEqual(buf.drain(), { items: [{ fromSeq: 1 }, { fromSeq: 2 }], overflowed: true });
  assert.deepEqual(buf.drain(), { items: [], overflowed: false });
});
