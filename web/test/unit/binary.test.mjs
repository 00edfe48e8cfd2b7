import test from 'node:test';
import assert from 'node:assert/strict';
import { decodeBulkUpdate, BINARY_SUBPROTOCOL } from '../../../server/src/main/resources/web/lib/binary.js';
import { Palette } from '../../../server/src/main/resources/web/lib/palette.js';

// The test vector of docs/protocol.md, "Binary bulk updates".
const VECTOR = `
01 01 00 00
00 00 00 00 00 00 00 07
00 00 00 00 00 00 00 08
00 00 01 94 7a fa 1f 80
62 c9 96 b4 a8 89 54 d6 a7 df 17 4d bf de 1f 44
d5 26 35 23 44 06 2c 31 40 58 d4 1a df de bb bc
00 00 00 02
00 64 00 c8 07
00 00 03 83 00`;

function bytes(hex) {
  return new Uint8Array(hex.trim().split(/\s+/).map((h) => parseInt(h, 16))).buffer;
}

const palette = new Palette(['#FFFFFF', '#111111', '#222222', '#333333', '#444444', '#555555', '#666666', '#FF0000']);

test('the protocol document test vector decodes to the bulk update it describes', () => {
  assert.equal(BINARY_SUBPROTOCOL, 'pixels.v1.bin');
  assert.deepEqual(decodeBulkUpdate(bytes(VECTOR), palette), {
    type: 'pixel:bulk_update',
    data: {
      pixels: [{ x: 100, y: 200, color: '#FF0000' }, { x: 0, y: 899, color: '#FFFFFF' }],
      hash: '62c996b4a88954d6a7df174dbfde1f44d526352344062c314058d41adfdebbbc',
      fromSeq: 7,
      toSeq: 8,
    },
    timestamp: '2025-01-18T19:53:20.000Z',
  });
});

test('frames of another type, another version or the wrong length are not bulk updates', () => {
  const wrongType = new Uint8Array(bytes(VECTOR));
  wrongType[0] = 2;
  assert.equal(decodeBulkUpdate(wrongType.buffer, palette), null);
  const wrongVersion = new Uint8Array(bytes(VECTOR));
  wrongVersion[1] = 2;
  assert.equal(decodeBulkUpdate(wrongVersion.buffer, palette), null);
  assert.equal(decodeBulkUpdate(bytes(VECTOR).slice(0, 73), palette), null);
  assert.equal(decodeBulkUpdate(new ArrayBuffer(10), palette), null);
  assert.equal(decodeBulkUpdate('not a buffer', palette), null);
});

test('a palette index the client does not know decodes to no colour, which the bitmap refuses', () => {
  const unknown = new Uint8Array(bytes(VECTOR));
  unknown[68] = 200;
  assert.equal(decodeBulkUpdate(unknown.buffer, palette).data.pixels[0].color, null);
});
