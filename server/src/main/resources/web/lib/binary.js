// The binary bulk updates of the `pixels.v1.bin` subprotocol (docs/protocol.md):
// 64 bytes of header, then 5 bytes per pixel, big-endian. Decoded into the
// same shape as a JSON `pixel:bulk_update`'s data, so one code path applies both.

export const BINARY_SUBPROTOCOL = 'pixels.v1.bin';

const BULK_UPDATE = 0x01;
const VERSION = 0x01;
const HEADER_BYTES = 64;
const PIXEL_BYTES = 5;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Decodes one binary frame into `{ type: 'pixel:bulk_update', data }`, or
 * null if it is not a bulk update this client understands. A pixel's colour is
 * the palette's hex for its index (null for an index outside the palette,
 * which the bitmap refuses, so the client resyncs and reloads the palette).
 *
 * @param {ArrayBuffer} buffer
 * @param {{ hexOf(index: number): string|undefined }} palette
 */
export function decodeBulkUpdate(buffer, palette) {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_BYTES) return null;
  const view = new DataView(buffer);
  if (view.getUint8(0) !== BULK_UPDATE || view.getUint8(1) !== VERSION) return null;
  const count = view.getUint32(60);
  if (buffer.byteLength !== HEADER_BYTES + count * PIXEL_BYTES) return null;
  let hash = '';
  for (let i = 28; i < 60; i++) hash += HEX[view.getUint8(i)];
  const pixels = new Array(count);
  for (let i = 0, at = HEADER_BYTES; i < count; i++, at += PIXEL_BYTES) {
    pixels[i] = { x: view.getUint16(at), y: view.getUint16(at + 2), color: palette.hexOf(view.getUint8(at + 4)) };
  }
  return {
    type: 'pixel:bulk_update',
    data: {
      pixels,
      hash,
      fromSeq: Number(view.getBigUint64(4)),
      toSeq: Number(view.getBigUint64(12)),
    },
    timestamp: new Date(Number(view.getBigUint64(20))).toISOString(),
  };
}
