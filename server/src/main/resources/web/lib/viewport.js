// Screen <-> canvas coordinates. The bitmap is drawn at `scale` CSS pixels per
// canvas pixel with its top-left corner at (offsetX, offsetY) in the viewport.

export const MIN_SCALE = 0.25;
export const MAX_SCALE = 64;
export const GRID_MIN_SCALE = 8;

export function clampScale(scale, min = MIN_SCALE, max = MAX_SCALE) {
  return Math.min(max, Math.max(min, scale));
}

/** Canvas pixel under a viewport point (may be outside the canvas). */
export function screenToCanvas(view, sx, sy) {
  return {
    x: Math.floor((sx - view.offsetX) / view.scale),
    y: Math.floor((sy - view.offsetY) / view.scale),
  };
}

/** Viewport position of the top-left corner of canvas pixel x,y. */
export function canvasToScreen(view, x, y) {
  return { x: view.offsetX + x * view.scale, y: view.offsetY + y * view.scale };
}

/** Zooms by `factor` keeping the canvas point under (sx, sy) fixed. */
export function zoomAt(view, factor, sx, sy, min = MIN_SCALE, max = MAX_SCALE) {
  const scale = clampScale(view.scale * factor, min, max);
  const k = scale / view.scale;
  return { scale, offsetX: sx - (sx - view.offsetX) * k, offsetY: sy - (sy - view.offsetY) * k };
}

export function zoomTo(view, scale, sx, sy, min = MIN_SCALE, max = MAX_SCALE) {
  return zoomAt(view, scale / view.scale, sx, sy, min, max);
}

/** The whole canvas, centred, as large as fits with a margin. */
export function fit(canvasW, canvasH, viewW, viewH, margin = 16) {
  const availW = Math.max(1, viewW - 2 * margin);
  const availH = Math.max(1, viewH - 2 * margin);
  const scale = clampScale(Math.min(availW / canvasW, availH / canvasH));
  return {
    scale,
    offsetX: (viewW - canvasW * scale) / 2,
    offsetY: (viewH - canvasH * scale) / 2,
  };
}

/** Centres canvas pixel x,y in the viewport at the current scale. */
export function centreOn(view, x, y, viewW, viewH) {
  return {
    scale: view.scale,
    offsetX: viewW / 2 - (x + 0.5) * view.scale,
    offsetY: viewH / 2 - (y + 0.5) * view.scale,
  };
}

/**
 * Keeps at least `keep` CSS pixels of the canvas on screen so a wild pan or
 * zoom can never lose it entirely.
 */
export function clampPan(view, canvasW, canvasH, viewW, viewH, keep = 48) {
  const w = canvasW * view.scale;
  const h = canvasH * view.scale;
  const kx = Math.min(keep, w), ky = Math.min(keep, h);
  return {
    scale: view.scale,
    offsetX: Math.min(viewW - kx, Math.max(kx - w, view.offsetX)),
    offsetY: Math.min(viewH - ky, Math.max(ky - h, view.offsetY)),
  };
}

/** Canvas pixel range visible in the viewport, clipped to the canvas. */
export function visibleRange(view, canvasW, canvasH, viewW, viewH) {
  const a = screenToCanvas(view, 0, 0);
  const b = screenToCanvas(view, viewW, viewH);
  return {
    x1: Math.max(0, a.x),
    y1: Math.max(0, a.y),
    x2: Math.min(canvasW - 1, b.x),
    y2: Math.min(canvasH - 1, b.y),
  };
}

/** Pinch: the new view given the two-finger distance/midpoint before and after. */
export function pinch(view, before, after, min = MIN_SCALE, max = MAX_SCALE) {
  const factor = before.distance > 0 ? after.distance / before.distance : 1;
  const zoomed = zoomAt(view, factor, before.midX, before.midY, min, max);
  return {
    scale: zoomed.scale,
    offsetX: zoomed.offsetX + (after.midX - before.midX),
    offsetY: zoomed.offsetY + (after.midY - before.midY),
  };
}
