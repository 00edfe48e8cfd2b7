// Conversion of an RGBA image to palette indices. Distances are measured in
// OKLab, where equal steps look roughly equally different: plain RGB distance
// maps skin tones and dark blues to visibly wrong colours.

import { hexToRgb } from './palette.js';

/** The index of a transparent template pixel: nothing to paint there. */
export const TRANSPARENT = -1;

/** Pixels at least this opaque (0..255) are painted; fainter ones stay transparent. */
export const ALPHA_THRESHOLD = 128;

function linear(c) {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** OKLab [L, a, b] of an sRGB colour with 0..255 channels (Björn Ottosson's matrices). */
export function rgbToOklab(r, g, b) {
  const lr = linear(r), lg = linear(g), lb = linear(b);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Nearest-colour lookup over a palette of hex colours, in OKLab. */
export class PaletteMatcher {
  constructor(hexColors) {
    if (!Array.isArray(hexColors) || hexColors.length === 0) throw new Error('empty palette');
    this.size = hexColors.length;
    this.lab = new Float64Array(this.size * 3);
    hexColors.forEach((hex, i) => this.lab.set(rgbToOklab(...hexToRgb(hex)), i * 3));
    this.cache = new Map();
  }

  /** The palette index closest to OKLab point L,a,b. */
  nearestLab(L, A, B) {
    let best = 0;
    let bestD = Infinity;
    const lab = this.lab;
    for (let i = 0; i < this.size; i++) {
      const dl = lab[i * 3] - L, da = lab[i * 3 + 1] - A, db = lab[i * 3 + 2] - B;
      const d = dl * dl + da * da + db * db;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** The palette index closest to an sRGB colour; memoised, as images repeat colours a lot. */
  nearest(r, g, b) {
    const key = (r << 16) | (g << 8) | b;
    let i = this.cache.get(key);
    if (i === undefined) {
      i = this.nearestLab(...rgbToOklab(r, g, b));
      if (this.cache.size < 65536) this.cache.set(key, i);
    }
    return i;
  }
}

/**
 * Converts RGBA pixels (4 bytes each, row-major, `width` × `height`) to
 * palette indices, TRANSPARENT where alpha is below the threshold. With
 * `dither` the rounding error is spread to the neighbours (Floyd–Steinberg,
 * in OKLab) so gradients keep their tone; without it every pixel simply gets
 * its nearest colour, which is what pixel art wants.
 * Returns { indices: Int16Array, counts: number[] per palette index, opaque }.
 */
export function quantize(rgba, width, height, hexColors, { dither = false } = {}) {
  const n = width * height;
  if (rgba.length < n * 4) throw new Error(`expected ${n * 4} bytes, got ${rgba.length}`);
  const matcher = new PaletteMatcher(hexColors);
  const indices = new Int16Array(n);
  const counts = new Array(matcher.size).fill(0);
  let opaque = 0;
  // Error buffers for this row and the next, three channels each.
  let err = dither ? new Float64Array((width + 2) * 3) : null;
  let nextErr = dither ? new Float64Array((width + 2) * 3) : null;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (rgba[p * 4 + 3] < ALPHA_THRESHOLD) {
        indices[p] = TRANSPARENT;
        continue;
      }
      const r = rgba[p * 4], g = rgba[p * 4 + 1], b = rgba[p * 4 + 2];
      let idx;
      if (!dither) {
        idx = matcher.nearest(r, g, b);
      } else {
        const lab = rgbToOklab(r, g, b);
        const e = (x + 1) * 3;
        const L = lab[0] + err[e], A = lab[1] + err[e + 1], B = lab[2] + err[e + 2];
        idx = matcher.nearestLab(L, A, B);
        const q = matcher.lab;
        const dl = L - q[idx * 3], da = A - q[idx * 3 + 1], db = B - q[idx * 3 + 2];
        spread(err, e + 3, dl, da, db, 7 / 16);
        spread(nextErr, e - 3, dl, da, db, 3 / 16);
        spread(nextErr, e, dl, da, db, 5 / 16);
        spread(nextErr, e + 3, dl, da, db, 1 / 16);
      }
      indices[p] = idx;
      counts[idx]++;
      opaque++;
    }
    if (dither) {
      [err, nextErr] = [nextErr, err];
      nextErr.fill(0);
    }
  }
  return { indices, counts, opaque };
}

function spread(buf, at, dl, da, db, k) {
  buf[at] += dl * k;
  buf[at + 1] += da * k;
  buf[at + 2] += db * k;
}

/** Per-colour counts of an index image: how many pixels of each palette colour it holds. */
export function countColors(indices, paletteSize) {
  const counts = new Array(paletteSize).fill(0);
  for (const i of indices) if (i >= 0 && i < paletteSize) counts[i]++;
  return counts;
}
