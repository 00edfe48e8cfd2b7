// Palette handling: the server speaks hex colours on the wire and palette
// indices in the bitmap, so the client needs both directions quickly.

const HEX = /^#?([0-9a-fA-F]{6})$/;

export function normalizeHex(value) {
  if (typeof value !== 'string') return null;
  const m = HEX.exec(value.trim());
  return m ? '#' + m[1].toUpperCase() : null;
}

export class Palette {
  constructor(colors) {
    if (!Array.isArray(colors) || colors.length === 0 || colors.length > 256) {
      throw new Error('palette must have 1..256 colours');
    }
    this.colors = colors.map((c) => {
      const hex = normalizeHex(c);
      if (!hex) throw new Error(`bad palette colour: ${c}`);
      return hex;
    });
    this.byHex = new Map();
    this.colors.forEach((hex, i) => {
      if (!this.byHex.has(hex)) this.byHex.set(hex, i);
    });
    // One packed RGBA word per index, laid out for a little-endian Uint32Array
    // view over ImageData, so repainting a pixel is a single store.
    this.rgba = new Uint32Array(256);
    for (let i = 0; i < 256; i++) this.rgba[i] = packRgba(i < this.colors.length ? this.colors[i] : null);
  }

  get size() {
    return this.colors.length;
  }

  indexOf(hex) {
    const n = normalizeHex(hex);
    if (n === null) return -1;
    const i = this.byHex.get(n);
    return i === undefined ? -1 : i;
  }

  hexOf(index) {
    return this.colors[index] ?? null;
  }
}

// Unknown indices render as a loud magenta so a palette mismatch is visible
// rather than silently blending in with the background.
export function packRgba(hex) {
  if (hex === null) return (0xff << 24 | 0xff << 16 | 0x00 << 8 | 0xff) >>> 0;
  const v = parseInt(hex.slice(1), 16);
  const r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
  return ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export function hexToRgb(hex) {
  const v = parseInt(normalizeHex(hex).slice(1), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

// Relative luminance decides whether overlays on a swatch should be dark or light.
export function isLight(hex) {
  const [r, g, b] = hexToRgb(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 150;
}
