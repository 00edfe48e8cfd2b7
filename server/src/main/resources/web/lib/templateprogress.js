// How much of a template the canvas already shows. The full count is taken
// once (on load and after a resync); after that each changed canvas pixel
// adjusts it in O(1), so bulk updates never rescan the template.

import { TRANSPARENT } from './quantize.js';

const OFF = 0; // transparent in the template, or outside the canvas
const WRONG = 1;
const RIGHT = 2;

export class TemplateProgress {
  /**
   * @param {Int16Array} indices  the template's palette indices, TRANSPARENT where there is nothing to paint
   * @param {number} width        the template's width
   * @param {number} x            where the template's top-left corner sits on the canvas
   * @param {number} y
   * @param {number} canvasW
   * @param {number} canvasH
   * @param {(x:number, y:number) => number} read  the palette index the canvas shows at x,y
   */
  constructor(indices, width, x, y, canvasW, canvasH, read) {
    this.indices = indices;
    this.width = width;
    this.height = indices.length / width;
    this.x = x;
    this.y = y;
    this.canvasW = canvasW;
    this.canvasH = canvasH;
    this.read = read;
    this.state = new Uint8Array(indices.length);
    this.correct = 0;
    this.total = 0;
    this.cursor = 0;
    this.recount();
  }

  /** Recounts from scratch: only for a new template, a move or a reloaded canvas. */
  recount() {
    this.correct = 0;
    this.total = 0;
    for (let ty = 0; ty < this.height; ty++) {
      const cy = this.y + ty;
      for (let tx = 0; tx < this.width; tx++) {
        const i = ty * this.width + tx;
        const cx = this.x + tx;
        if (this.indices[i] === TRANSPARENT || cx < 0 || cy < 0 || cx >= this.canvasW || cy >= this.canvasH) {
          this.state[i] = OFF;
          continue;
        }
        this.total++;
        const ok = this.read(cx, cy) === this.indices[i];
        this.state[i] = ok ? RIGHT : WRONG;
        if (ok) this.correct++;
      }
    }
  }

  /** The template pixel index under canvas x,y, or -1 when the template does not cover it. */
  at(cx, cy) {
    const tx = cx - this.x, ty = cy - this.y;
    if (tx < 0 || ty < 0 || tx >= this.width || ty >= this.height) return -1;
    return ty * this.width + tx;
  }

  /**
   * Re-reads canvas pixel x,y. Returns true when that changed whether the
   * template pixel there is right (the caller redraws it), else false.
   */
  update(cx, cy) {
    const i = this.at(cx, cy);
    if (i < 0 || this.state[i] === OFF) return false;
    const next = this.read(cx, cy) === this.indices[i] ? RIGHT : WRONG;
    if (next === this.state[i]) return false;
    this.state[i] = next;
    this.correct += next === RIGHT ? 1 : -1;
    return true;
  }

  /** Whether template pixel i (row-major in the template) differs from the canvas. */
  wrongAt(i) {
    return this.state[i] === WRONG;
  }

  isWrong(cx, cy) {
    const i = this.at(cx, cy);
    return i >= 0 && this.state[i] === WRONG;
  }

  /**
   * A wrong pixel to paint next, as { x, y, index } in canvas coordinates, or
   * null when everything is right. It continues in reading order from the
   * previous pick, so repeated picks work through the image row by row
   * instead of jumping about. Pixels for which `skip(x, y)` is true (locked
   * ones, say) are passed over.
   */
  nextWrong(skip = () => false) {
    const n = this.state.length;
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % n;
      if (this.state[i] !== WRONG || skip(this.x + (i % this.width), this.y + Math.floor(i / this.width))) continue;
      this.cursor = i;
      return { x: this.x + (i % this.width), y: this.y + Math.floor(i / this.width), index: this.indices[i] };
    }
    return null;
  }
}

function group(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * "1,234 of 5,000 pixels correct (24.7 %)". The percentage is rounded to a
 * tenth but held at 99.9 until the template is really finished.
 */
export function formatProgress(correct, total) {
  if (total === 0) return 'No template pixels on the canvas';
  const pct = correct < total ? Math.min(999, Math.round((correct * 1000) / total)) / 10 : 100;
  return `${group(correct)} of ${group(total)} pixels correct (${pct.toFixed(1)} %)`;
}
