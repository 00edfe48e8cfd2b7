import test from 'node:test';
import assert from 'node:assert/strict';
import * as v from '../../../server/src/main/resources/web/lib/viewport.js';

const view = { scale: 4, offsetX: 10, offsetY: 20 };

test('a screen point maps to the canvas pixel beneath it', () => {
  assert.deepEqual(v.screenToCanvas(view, 10, 20), { x: 0, y: 0 });
  assert.deepEqual(v.screenToCanvas(view, 13.9, 23.9), { x: 0, y: 0 });
  assert.deepEqual(v.screenToCanvas(view, 14, 24), { x: 1, y: 1 });
  assert.deepEqual(v.screenToCanvas(view, 9, 19), { x: -1, y: -1 });
});

test('canvas and screen transforms are inverse for pixel corners', () => {
  for (const [x, y] of [[0, 0], [5, 7], [899, 899]]) {
    const s = v.canvasToScreen(view, x, y);
    assert.deepEqual(v.screenToCanvas(view, s.x, s.y), { x, y });
  }
});

test('zooming at a point keeps the canvas pixel under that point fixed', () => {
  const z = v.zoomAt(view, 2.5, 200, 150);
  assert.equal(z.scale, 10);
  const before = v.screenToCanvas(view, 200, 150);
  const after = v.screenToCanvas(z, 200, 150);
  assert.deepEqual(after, before);
});

test('zoom is clamped between the minimum and maximum scale', () => {
  assert.equal(v.zoomAt(view, 1000, 0, 0).scale, v.MAX_SCALE);
  assert.equal(v.zoomAt(view, 0.0001, 0, 0).scale, v.MIN_SCALE);
});

test('fit centres the whole canvas in the viewport with a margin', () => {
  const f = v.fit(900, 900, 1000, 800, 16);
  assert.equal(f.scale, (800 - 32) / 900);
  assert.equal(f.offsetY, 16);
  assert.equal(f.offsetX, (1000 - 900 * f.scale) / 2);
});

test('centring on a pixel puts its middle at the viewport centre', () => {
  const c = v.centreOn({ scale: 10, offsetX: 0, offsetY: 0 }, 50, 60, 400, 300);
  assert.deepEqual(v.screenToCanvas(c, 200, 150), { x: 50, y: 60 });
  assert.deepEqual(v.screenToCanvas(c, 195, 145), { x: 50, y: 60 });
});

test('panning cannot push the canvas entirely off screen', () => {
  const far = v.clampPan({ scale: 1, offsetX: -5000, offsetY: 5000 }, 100, 100, 400, 300, 48);
  assert.equal(far.offsetX, 48 - 100);
  assert.equal(far.offsetY, 300 - 48);
});

test('the visible range is clipped to the canvas', () => {
  assert.deepEqual(v.visibleRange({ scale: 10, offsetX: -55, offsetY: 0 }, 100, 100, 200, 50), { x1: 5, y1: 0, x2: 25, y2: 5 });
});

test('pinching apart doubles the scale around the fingers and follows their midpoint', () => {
  const start = { scale: 2, offsetX: 0, offsetY: 0 };
  const p = v.pinch(start, { distance: 100, midX: 100, midY: 100 }, { distance: 200, midX: 110, midY: 100 });
  assert.equal(p.scale, 4);
  // The canvas point that was under the old midpoint is now under the new one.
  assert.deepEqual(v.screenToCanvas(p, 110, 100), v.screenToCanvas(start, 100, 100));
});
