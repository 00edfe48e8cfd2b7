// Draws the templates over the canvas on their own screen-sized layer, in one
// of three modes: the whole image at an opacity, a small dot at the centre of
// each template pixel (from DOTS_MIN_SCALE up, so the canvas under it stays
// readable), or only the pixels where the canvas differs from the template.

import { TRANSPARENT } from '../lib/quantize.js';
import { visibleRange } from '../lib/viewport.js';

/** Below this zoom there is no room for a dot inside a pixel; dots fall back to the image. */
export const DOTS_MIN_SCALE = 6;
/** From this zoom the wrong pixels of "differences only" also get a frame. */
const DIFF_FRAME_SCALE = 8;

/**
 * The drawable form of one converted template: the full image and the
 * image of its wrong pixels, kept as canvases of the template's size.
 */
export class TemplatePicture {
  constructor(indices, width, height, palette) {
    this.indices = indices;
    this.width = width;
    this.height = height;
    this.colors = palette.colors;
    this.full = document.createElement('canvas');
    this.full.width = width;
    this.full.height = height;
    const fctx = this.full.getContext('2d');
    const img = fctx.createImageData(width, height);
    const px = new Uint32Array(img.data.buffer);
    for (let i = 0; i < indices.length; i++) px[i] = indices[i] === TRANSPARENT ? 0 : palette.rgba[indices[i]];
    fctx.putImageData(img, 0, 0);
    this.fullPixels = px;
    this.diff = document.createElement('canvas');
    this.diff.width = width;
    this.diff.height = height;
    this.diffImage = this.diff.getContext('2d').createImageData(width, height);
    this.diffPixels = new Uint32Array(this.diffImage.data.buffer);
    this.diffDirty = true;
  }

  /** Shows or hides template pixel i in the differences image. */
  setWrong(i, wrong) {
    this.diffPixels[i] = wrong ? this.fullPixels[i] : 0;
    this.diffDirty = true;
  }

  diffCanvas() {
    if (this.diffDirty) {
      this.diff.getContext('2d').putImageData(this.diffImage, 0, 0);
      this.diffDirty = false;
    }
    return this.diff;
  }
}

/**
 * Draws `entries` ({ t: template, picture, progress }), the first on top, on
 * `ctx` (already scaled to CSS pixels) for `view` over a canvas of W × H.
 */
export function drawTemplates(ctx, entries, view, W, H, w, h, { outline = false } = {}) {
  ctx.imageSmoothingEnabled = false;
  for (let k = entries.length - 1; k >= 0; k--) {
    const { t, picture, progress } = entries[k];
    if (!t.enabled || !picture) continue;
    const sx = view.offsetX + t.x * view.scale, sy = view.offsetY + t.y * view.scale;
    const sw = t.width * view.scale, sh = t.height * view.scale;
    if (sx > w || sy > h || sx + sw < 0 || sy + sh < 0) continue;
    ctx.globalAlpha = t.opacity;
    if (t.mode === 'diff') {
      ctx.drawImage(picture.diffCanvas(), sx, sy, sw, sh);
      if (view.scale >= DIFF_FRAME_SCALE) frameWrong(ctx, t, progress, view, W, H, w, h);
    } else if (t.mode === 'dots' && view.scale >= DOTS_MIN_SCALE) {
      drawDots(ctx, t, picture, view, W, H, w, h);
    } else {
      ctx.drawImage(picture.full, sx, sy, sw, sh);
    }
    ctx.globalAlpha = 1;
    if (outline) {
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = 'rgba(47, 111, 237, 0.95)';
      ctx.strokeRect(sx - 0.5, sy - 0.5, sw + 1, sh + 1);
      ctx.setLineDash([]);
    }
  }
}

function visibleCells(t, view, W, H, w, h) {
  const r = visibleRange(view, W, H, w, h);
  return {
    x1: Math.max(r.x1, t.x), y1: Math.max(r.y1, t.y),
    x2: Math.min(r.x2, t.x + t.width - 1), y2: Math.min(r.y2, t.y + t.height - 1),
  };
}

function drawDots(ctx, t, picture, view, W, H, w, h) {
  const r = visibleCells(t, view, W, H, w, h);
  const size = Math.max(2, Math.round(view.scale / 3));
  const inset = (view.scale - size) / 2;
  for (let y = r.y1; y <= r.y2; y++) {
    for (let x = r.x1; x <= r.x2; x++) {
      const idx = picture.indices[(y - t.y) * t.width + (x - t.x)];
      if (idx === TRANSPARENT) continue;
      const px = view.offsetX + x * view.scale + inset, py = view.offsetY + y * view.scale + inset;
      // A light rim keeps a dark dot visible on a dark pixel and the other way round.
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(px - 1, py - 1, size + 2, size + 2);
      ctx.fillStyle = picture.colors[idx];
      ctx.fillRect(px, py, size, size);
    }
  }
}

function frameWrong(ctx, t, progress, view, W, H, w, h) {
  const r = visibleCells(t, view, W, H, w, h);
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  ctx.strokeStyle = 'rgba(214, 60, 60, 0.95)';
  ctx.beginPath();
  for (let y = r.y1; y <= r.y2; y++) {
    for (let x = r.x1; x <= r.x2; x++) {
      if (progress.isWrong(x, y)) ctx.rect(view.offsetX + x * view.scale + 1, view.offsetY + y * view.scale + 1, view.scale - 2, view.scale - 2);
    }
  }
  ctx.stroke();
}
