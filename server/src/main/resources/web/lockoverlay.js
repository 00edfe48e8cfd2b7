// How the page draws a locked region on its screen-sized overlay canvas.

import * as vp from './lib/viewport.js';

// Locked regions: a light wash with diagonal hatching and a dashed edge,
// visible over any colour without hiding the art underneath.
export function drawLock(ctx, lock, view) {
  const a = vp.canvasToScreen(view, lock.x1, lock.y1);
  const b = vp.canvasToScreen(view, lock.x2 + 1, lock.y2 + 1);
  const w = b.x - a.x, h = b.y - a.y;
  ctx.save();
  ctx.beginPath();
  ctx.rect(a.x, a.y, w, h);
  ctx.clip();
  ctx.fillStyle = 'rgba(40, 44, 60, 0.10)';
  ctx.fillRect(a.x, a.y, w, h);
  ctx.beginPath();
  const step = 9;
  for (let d = -h; d < w; d += step) {
    ctx.moveTo(a.x + d, a.y + h);
    ctx.lineTo(a.x + d + h, a.y);
  }
  ctx.strokeStyle = 'rgba(40, 44, 60, 0.38)';
  ctx.lineWidth = 1.25;
  ctx.stroke();
  ctx.restore();
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = 'rgba(40, 44, 60, 0.7)';
  ctx.lineWidth = 1;
  ctx.strokeRect(a.x + 0.5, a.y + 0.5, w - 1, h - 1);
  ctx.setLineDash([]);
}
