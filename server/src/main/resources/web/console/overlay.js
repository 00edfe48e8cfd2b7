// The console's own layer over the canvas: a selected rectangle, a user's
// highlighted pixels and a repair's preview (the pixels in the colours they
// would get). It takes pointer input only while the moderator is selecting a
// rectangle or picking a lock, so painting is untouched otherwise.

import * as vp from '../lib/viewport.js';
import { rectBetween } from '../lib/admin.js';

export class ConsoleOverlay {
  /**
   * @param {object} o
   * @param {HTMLElement} o.viewport  the element the board is drawn in
   * @param {() => object} o.view     the current view {scale, offsetX, offsetY}
   * @param {() => {width:number,height:number}|null} o.size  the canvas size once loaded
   */
  constructor({ viewport, view, size }) {
    this.viewport = viewport;
    this.view = view;
    this.size = size;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'console-overlay';
    this.canvas.setAttribute('aria-hidden', 'true');
    viewport.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d');
    this.selection = null;
    this.highlights = [];
    this.preview = [];
    this.mode = null; // null | {kind:'select', done} | {kind:'pick', done}
    this.drag = null;
    this.lastView = null;
    this.dirty = true;
    this.running = false;
    this.#listen();
  }

  /**
   * Follows the page's view frame by frame while there is something to show
   * (the page replaces its view object on every pan or zoom), and stops when
   * the layer is empty, so that a page without a moderator stays idle.
   */
  #kick() {
    this.dirty = true;
    if (this.running) return;
    this.running = true;
    const tick = () => {
      const v = this.view();
      if (this.dirty || v !== this.lastView) this.#draw(v);
      if (this.selection || this.highlights.length || this.preview.length || this.mode) requestAnimationFrame(tick);
      else this.running = false;
    };
    requestAnimationFrame(tick);
  }

  setSelection(rect) {
    this.selection = rect;
    this.#kick();
  }
  setHighlights(pixels) {
    this.highlights = pixels ?? [];
    this.#kick();
  }
  setPreview(pixels) {
    this.preview = pixels ?? [];
    this.#kick();
  }
  clear() {
    this.selection = null;
    this.highlights = [];
    this.preview = [];
    this.#kick();
  }

  /** Lets the moderator drag a rectangle (mouse or touch); resolves with it, or null if cancelled. */
  selectRect() {
    return this.#capture('select');
  }

  /** Lets the moderator tap a canvas pixel; resolves with {x, y}, or null if cancelled. */
  pickPixel() {
    return this.#capture('pick');
  }

  cancel() {
    this.mode?.done(null);
  }

  #capture(kind) {
    this.cancel();
    return new Promise((resolve) => {
      this.mode = {
        kind,
        done: (value) => {
          this.mode = null;
          this.drag = null;
          this.canvas.classList.remove('capturing');
          resolve(value);
        },
      };
      this.canvas.classList.add('capturing');
      this.#kick();
    });
  }

  #canvasPoint(ev) {
    const r = this.viewport.getBoundingClientRect();
    return vp.screenToCanvas(this.view(), ev.clientX - r.left, ev.clientY - r.top);
  }

  #listen() {
    const c = this.canvas;
    c.addEventListener('pointerdown', (ev) => {
      if (!this.mode || !this.size()) return;
      ev.preventDefault();
      ev.stopPropagation();
      c.setPointerCapture(ev.pointerId);
      this.drag = { start: this.#canvasPoint(ev), pointerId: ev.pointerId };
      if (this.mode.kind === 'select') this.setSelection(this.#rect(this.drag.start, this.drag.start));
    });
    c.addEventListener('pointermove', (ev) => {
      if (!this.drag || ev.pointerId !== this.drag.pointerId || this.mode?.kind !== 'select') return;
      this.setSelection(this.#rect(this.drag.start, this.#canvasPoint(ev)));
    });
    const end = (ev, cancelled) => {
      if (!this.drag || ev.pointerId !== this.drag.pointerId) return;
      const p = this.#canvasPoint(ev);
      if (cancelled) return this.mode?.done(null);
      if (this.mode?.kind === 'select') {
        const rect = this.#rect(this.drag.start, p);
        this.setSelection(rect);
        this.mode.done(rect);
      } else if (this.mode?.kind === 'pick') {
        const { width, height } = this.size();
        this.mode.done(p.x >= 0 && p.y >= 0 && p.x < width && p.y < height ? p : null);
      }
    };
    c.addEventListener('pointerup', (ev) => end(ev, false));
    c.addEventListener('pointercancel', (ev) => end(ev, true));
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && this.mode) this.cancel();
    });
  }

  #rect(a, b) {
    const { width, height } = this.size();
    return rectBetween(a, b, width, height);
  }

  #draw(view) {
    this.dirty = false;
    this.lastView = view;
    const dpr = window.devicePixelRatio || 1;
    const w = this.viewport.clientWidth, h = this.viewport.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!view) return;
    const box = (x, y) => {
      const s = vp.canvasToScreen(view, x, y);
      const size = Math.max(view.scale, 4);
      return { x: s.x + view.scale / 2 - size / 2, y: s.y + view.scale / 2 - size / 2, size };
    };
    // A preview shows the pixels as they would become, outlined so that a
    // change to the background colour still shows.
    for (const p of this.preview) {
      const b = box(p.x, p.y);
      ctx.fillStyle = p.color;
      ctx.fillRect(b.x, b.y, b.size, b.size);
      ctx.strokeStyle = 'rgba(16, 160, 90, 0.95)';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(b.x - 1, b.y - 1, b.size + 2, b.size + 2);
    }
    ctx.lineWidth = 2;
    for (const p of this.highlights) {
      const b = box(p.x, p.y);
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeRect(b.x - 2, b.y - 2, b.size + 4, b.size + 4);
      ctx.strokeStyle = 'rgba(220, 30, 160, 0.95)';
      ctx.strokeRect(b.x - 1, b.y - 1, b.size + 2, b.size + 2);
    }
    if (this.selection) {
      const r = this.selection;
      const a = vp.canvasToScreen(view, r.x1, r.y1);
      const b = vp.canvasToScreen(view, r.x2 + 1, r.y2 + 1);
      ctx.fillStyle = 'rgba(47, 111, 237, 0.12)';
      ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = '#2f6fed';
      ctx.lineWidth = 2;
      ctx.strokeRect(a.x, a.y, b.x - a.x, b.y - a.y);
      ctx.setLineDash([]);
    }
  }
}
