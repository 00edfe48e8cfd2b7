import test from 'node:test';
import assert from 'node:assert/strict';
import { Bitmap, SyncError } from '../../../server/src/main/resources/web/lib/bitmap.js';
import { Palette, normalizeHex, packRgba } from '../../../server/src/main/resources/web/lib/palette.js';

const palette = new Palette(['#FFFFFF', '#000000', '#FF0000']);

test('a new bitmap is all background and addresses pixels row-major', () => {
  const b = new Bitmap(3, 2);
  assert.deepEqual([...b.data], [0, 0, 0, 0, 0, 0]);
  b.set(2, 1, 2);
  assert.equal(b.data[5], 2);
  assert.equal(b.get(2, 1), 2);
});

test('a bitmap refuses bytes that do not match its size', () => {
  assert.throws(() => new Bitmap(3, 2, new Uint8Array(5)), /expected 6/);
});

test('applying a batch sets each pixel to its palette index, case-insensitively, later pixels winning', () => {
  const b = new Bitmap(4, 4);
  const touched = b.applyPixels(
    [
      { x: 1, y: 1, color: '#ff0000' },
      { x: 1, y: 1, color: '#000000' },
      { x: 3, y: 0, color: '#FF0000' },
    ],
    palette,
  );
  assert.equal(b.get(1, 1), 1);
  assert.equal(b.get(3, 0), 2);
  assert.equal(touched.length, 3);
});

test('applying a batch with skip leaves the already-applied leading pixels alone', () => {
  const b = new Bitmap(2, 1);
  b.applyPixels([{ x: 0, y: 0, color: '#000000' }, { x: 1, y: 0, color: '#FF0000' }], palette, 1);
  assert.deepEqual([...b.data], [0, 2]);
});

test('a colour outside the palette or a pixel outside the canvas is a sync error, not a guess', () => {
  const b = new Bitmap(2, 2);
  assert.throws(() => b.applyPixels([{ x: 0, y: 0, color: '#123456' }], palette), SyncError);
  assert.throws(() => b.applyPixels([{ x: 2, y: 0, color: '#000000' }], palette), SyncError);
  assert.throws(() => b.applyPixels([{ x: 0.5, y: 0, color: '#000000' }], palette), SyncError);
});

test('palette colours are normalised to upper-case hex and looked up in both directions', () => {
  assert.equal(normalizeHex('ff00aa'), '#FF00AA');
  assert.equal(normalizeHex('#fff'), null);
  assert.equal(palette.indexOf('#ff0000'), 2);
  assert.equal(palette.indexOf('#ABCDEF'), -1);
  assert.equal(palette.hexOf(1), '#000000');
  assert.throws(() => new Palette([]), /1\.\.256/);
  assert.throws(() => new Palette(['red']), /bad palette colour/);
});

test('packed colours are RGBA bytes in memory order for ImageData', () => {
  const word = new Uint32Array([packRgba('#102030')]);
  assert.deepEqual([...new Uint8Array(word.buffer)], [0x10, 0x20, 0x30, 0xff]);
});
