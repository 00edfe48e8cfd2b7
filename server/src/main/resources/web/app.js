// The page: wires CanvasClient (lib/sync.js) to the screen, pointer, touch
// and keyboard. All protocol and bookkeeping logic lives in lib/ so it can be
// tested in Node; this file is about pixels on the screen and people.

import { CanvasClient } from './lib/sync.js';
import * as vp from './lib/viewport.js';
import { linePixels } from './lib/line.js';
import { rejectText, hasCountdown } from './lib/messages.js';
import { followCanvasLoading } from './loading.js';
import { followStatus } from './status.js';
import { mountTemplates } from './templates/templates.js';
import { mountPixelInfo } from './pixelinfo.js';
import { mountOverlays } from './overlays.js';
import { mountConsole } from './console/console.js';
import { linkCardToConsole } from './console/cardlink.js';
import { drawLock } from './lockoverlay.js';
import { usableStorage } from './lib/storage.js';
import { setUpProofOfWork } from './pow.js';
import { setUpSignIn } from './signin.js';
import { mountToasts } from './toasts.js';
import { mountHistory } from './history.js';

const $ = (sel) => document.querySelector(sel);
const el = {
  viewport: $('#board-viewport'),
  board: $('#board'),
  overlay: $('#overlay'),
  tooltip: $('#tooltip'),
  loading: $('#loading'),
  status: $('#status'),
  statusText: $('#status-text'),
  statusSr: $('#status-sr'),
  retry: $('#retry'),
  rate: $('#rate'),
  rateMeter: $('#rate-meter'),
  rateText: $('#rate-text'),
  palette: $('#palette'),
  recent: $('#recent'),
  currentSwatch: $('#current-swatch'),
  currentHex: $('#current-hex'),
  toasts: $('#toasts'),
  announcer: $('#announcer'),
  gridToggle: $('#grid-toggle'),
};
const { toast } = mountToasts(el.toasts);

const RECENT_KEY = 'pixels.recent';
const RECENT_MAX = 8;
const CLOSE_ZOOM = 16;
const TAP_SLOP_PX = 6;

const storage = usableStorage(() => window.localStorage);
const state = {
  tool: 'brush',
  color: null,
  recent: loadRecent(),
  grid: false,
  view: { scale: 1, offsetX: 0, offsetY: 0 },
  viewFitted: true,
  hover: null, // canvas pixel under the mouse
  hoverScreen: null, // and where the mouse is, for the tooltip
  cursor: null, // keyboard cursor
  pointers: new Map(),
  gesture: null,
};

const client = new CanvasClient({
  httpBase: location.origin,
  wsBase: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host,
  storage,
});
const moderator = mountConsole({ client, state, viewport: el.viewport, centreOn: (x, y) => setView(vp.centreOn(state.view, x, y, viewportSize().w, viewportSize().h)) });
linkCardToConsole(moderator);
const templates = mountTemplates({ client, viewport: el.viewport, state, storage, setView, selectColor, paintAt });
// Handy for debugging in the console and for the browser tests to wait on.
window.pixels = { client, state, console: moderator, pow: setUpProofOfWork(client, { httpBase: location.origin }) };
setUpSignIn(client, { toast });
const pixelInfo = mountPixelInfo({ colors: () => client.palette?.colors, now: () => client.now() });
mountOverlays({ board: el.board });

// ------------------------------------------------------------------ render

const boardCtx = el.board.getContext('2d', { alpha: false });
const overlayCtx = el.overlay.getContext('2d');
let image = null;
let image32 = null;
let dirty = null;
let overlayDirty = true;
let frameRequested = false;

function requestFrame() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(frame);
}

function frame() {
  frameRequested = false;
  if (image && dirty) {
    const { x1, y1, x2, y2 } = dirty;
    boardCtx.putImageData(image, 0, 0, x1, y1, x2 - x1 + 1, y2 - y1 + 1);
    dirty = null;
  }
  if (overlayDirty) {
    overlayDirty = false;
    drawOverlay();
  }
}

function markDirty(x, y) {
  if (!dirty) dirty = { x1: x, y1: y, x2: x, y2: y };
  else {
    if (x < dirty.x1) dirty.x1 = x;
    if (y < dirty.y1) dirty.y1 = y;
    if (x > dirty.x2) dirty.x2 = x;
    if (y > dirty.y2) dirty.y2 = y;
  }
  requestFrame();
}

function renderAll() {
  const { width, height, data } = client.bitmap;
  if (el.board.width !== width || el.board.height !== height) {
    el.board.width = width;
    el.board.height = height;
    image = null;
  }
  if (!image) {
    image = boardCtx.createImageData(width, height);
    image32 = new Uint32Array(image.data.buffer);
  }
  const rgba = client.palette.rgba;
  for (let i = 0; i < data.length; i++) image32[i] = rgba[data[i]];
  for (const entry of client.pending.byId.values()) renderPixel(entry.x, entry.y);
  dirty = { x1: 0, y1: 0, x2: width - 1, y2: height - 1 };
  requestFrame();
}

function renderPixel(x, y) {
  if (!image) return;
  image32[y * client.bitmap.width + x] = client.palette.rgba[client.displayIndex(x, y)];
  markDirty(x, y);
}

function applyView() {
  const { scale, offsetX, offsetY } = state.view;
  el.board.style.transform = `translate(${offsetX}px, ${offsetY}px) scale(${scale})`;
  templates.redraw();
  overlayDirty = true;
  requestFrame();
  updateTooltip();
}

function viewportSize() {
  return { w: el.viewport.clientWidth, h: el.viewport.clientHeight };
}

function setView(view, fitted = false) {
  const { w, h } = viewportSize();
  state.view = client.bitmap ? vp.clampPan(view, client.bitmap.width, client.bitmap.height, w, h) : view;
  state.viewFitted = fitted;
  applyView();
}

function fitView() {
  if (!client.bitmap) return;
  const { w, h } = viewportSize();
  setView(vp.fit(client.bitmap.width, client.bitmap.height, w, h), true);
}

function zoomBy(factor, sx, sy) {
  const { w, h } = viewportSize();
  setView(vp.zoomAt(state.view, factor, sx ?? w / 2, sy ?? h / 2));
}

/** Z: from the fitted view zoom in close; from anywhere else go back to fit. */
function toggleZoom() {
  if (!state.viewFitted) {
    fitView();
    return;
  }
  const scale = Math.max(CLOSE_ZOOM, state.view.scale * 3);
  const target = state.hover ?? state.cursor;
  const { w, h } = viewportSize();
  const at = target ? vp.canvasToScreen(state.view, target.x + 0.5, target.y + 0.5) : { x: w / 2, y: h / 2 };
  setView(vp.zoomTo(state.view, scale, at.x, at.y));
}

function drawOverlay() {
  const dpr = window.devicePixelRatio || 1;
  const { w, h } = viewportSize();
  if (el.overlay.width !== Math.round(w * dpr) || el.overlay.height !== Math.round(h * dpr)) {
    el.overlay.width = Math.round(w * dpr);
    el.overlay.height = Math.round(h * dpr);
  }
  const ctx = overlayCtx;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  if (!client.bitmap) return;
  const view = state.view;
  const W = client.bitmap.width, H = client.bitmap.height;

  // The edge of the canvas, drawn here at screen resolution: a CSS border on
  // the scaled board would grow with the zoom.
  ctx.strokeStyle = 'rgba(30, 34, 48, 0.35)';
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(view.offsetX) - 0.5, Math.round(view.offsetY) - 0.5, Math.round(W * view.scale) + 1, Math.round(H * view.scale) + 1);

  if (state.grid && view.scale >= vp.GRID_MIN_SCALE) {
    const r = vp.visibleRange(view, W, H, w, h);
    ctx.beginPath();
    for (let x = r.x1; x <= r.x2 + 1; x++) {
      const sx = Math.round(view.offsetX + x * view.scale) + 0.5;
      ctx.moveTo(sx, view.offsetY + r.y1 * view.scale);
      ctx.lineTo(sx, view.offsetY + (r.y2 + 1) * view.scale);
    }
    for (let y = r.y1; y <= r.y2 + 1; y++) {
      const sy = Math.round(view.offsetY + y * view.scale) + 0.5;
      ctx.moveTo(view.offsetX + r.x1 * view.scale, sy);
      ctx.lineTo(view.offsetX + (r.x2 + 1) * view.scale, sy);
    }
    ctx.strokeStyle = 'rgba(60, 64, 80, 0.28)';
    ctx.lineWidth = 1;
    ctx.stroke();
  }

  for (const lock of client.locks.active()) drawLock(ctx, lock, view);

  const mark = (p, color, dash) => {
    if (!p || !client.bitmap.inBounds(p.x, p.y)) return;
    const s = vp.canvasToScreen(view, p.x, p.y);
    const size = Math.max(view.scale, 3);
    ctx.setLineDash(dash);
    ctx.lineWidth = 2;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.strokeRect(s.x - 2, s.y - 2, size + 4, size + 4);
    ctx.strokeStyle = color;
    ctx.strokeRect(s.x - 1, s.y - 1, size + 2, size + 2);
    ctx.setLineDash([]);
  };
  mark(state.hover, 'rgba(20, 20, 30, 0.85)', []);
  // Only keyboard users need the cursor; after a tap or click it would be noise.
  if (el.viewport.matches(':focus-visible')) mark(state.cursor, '#2f6fed', [4, 3]);
}

// -------------------------------------------------------------- palette UI

function buildPalette() {
  el.palette.replaceChildren();
  const colors = client.palette.colors;
  colors.forEach((hex, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'swatch';
    b.setAttribute('role', 'radio');
    b.dataset.color = hex;
    b.style.background = hex;
    b.setAttribute('aria-label', `Colour ${i + 1} of ${colors.length}, ${hex}`);
    b.title = hex;
    b.addEventListener('click', () => selectColor(hex));
    el.palette.append(b);
  });
  if (!state.color || client.palette.indexOf(state.color) < 0) {
    // Black if the palette has it: the most useful first colour on white.
    state.color = client.palette.indexOf('#000000') >= 0 ? '#000000' : colors[Math.min(1, colors.length - 1)];
  }
  state.recent = state.recent.filter((h) => client.palette.indexOf(h) >= 0);
  selectColor(state.color, false);
}

function selectColor(hex, announceIt = true) {
  state.color = hex;
  if (state.tool === 'eraser') setTool('brush', false);
  for (const b of el.palette.children) {
    const on = b.dataset.color === hex;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  el.currentSwatch.style.background = hex;
  el.currentHex.textContent = hex;
  renderRecent();
  if (announceIt) announce(`Colour ${hex}`);
}

function paletteKeys(ev) {
  const buttons = [...el.palette.children];
  const i = buttons.indexOf(document.activeElement);
  if (i < 0) return;
  const cols = getComputedStyle(el.palette).gridTemplateColumns.split(' ').length || 16;
  const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, Home: -i, End: buttons.length - 1 - i };
  if (!(ev.key in moves)) return;
  ev.preventDefault();
  const next = buttons[Math.max(0, Math.min(buttons.length - 1, i + moves[ev.key]))];
  next.focus();
  selectColor(next.dataset.color);
}

function rememberRecent(hex) {
  state.recent = [hex, ...state.recent.filter((h) => h !== hex)].slice(0, RECENT_MAX);
  storage?.setItem(RECENT_KEY, JSON.stringify(state.recent));
  renderRecent();
}

function renderRecent() {
  el.recent.replaceChildren(
    ...state.recent.map((hex) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'swatch';
      b.style.background = hex;
      b.dataset.color = hex;
      b.setAttribute('aria-label', `Recent colour ${hex}`);
      b.setAttribute('aria-pressed', String(hex === state.color && state.tool !== 'eraser'));
      b.addEventListener('click', () => selectColor(hex));
      return b;
    }),
  );
}

function loadRecent() {
  try {
    const r = JSON.parse(storage?.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(r) ? r.filter((h) => typeof h === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

function setTool(tool, announceIt = true) {
  state.tool = tool;
  document.body.dataset.activeTool = tool;
  for (const b of document.querySelectorAll('.tools [data-tool]')) {
    const on = b.dataset.tool === tool;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  renderRecent();
  if (announceIt) announce({ brush: 'Brush', draw: 'Draw mode', eraser: 'Eraser' }[tool]);
}

function toggleGrid() {
  state.grid = !state.grid;
  el.gridToggle.setAttribute('aria-pressed', String(state.grid));
  overlayDirty = true;
  requestFrame();
  announce(state.grid ? (state.view.scale >= vp.GRID_MIN_SCALE ? 'Grid on' : 'Grid on; it shows when zoomed in') : 'Grid off');
}

// ---------------------------------------------------------------- painting

function paintAt(x, y) {
  // The outcome of this paint is what a screen reader user wants to hear
  // next, not the pixel description queued by the pointer that made it.
  clearTimeout(hoverAnnounceTimer);
  const r = client.paint(x, y, state.tool === 'eraser' ? 'eraser' : 'brush', state.color);
  if (r.ok) {
    if (state.tool !== 'eraser') rememberRecent(state.color);
    return;
  }
  refused(r.reason, x, y, r.retryAfterMs);
}

function refused(reason, x, y, retryAfterMs) {
  if (reason === 'out_of_bounds') return;
  if (reason === 'not_connected') {
    toast('not_connected', 'Not connected: your pixel was not sent. Reconnecting…', { kind: 'error' });
    return;
  }
  showReject({ reason, x, y, retryAfterMs });
}

function showReject({ reason, x, y, retryAfterMs, message }) {
  const kind = reason === 'rate_limited' || reason === 'unavailable' ? 'warn' : 'error';
  if (hasCountdown(reason) && retryAfterMs > 0) {
    // The client's cooldown is the single clock for this toast and for the
    // rate indicator, so the two never disagree.
    const left = () => client.rate.cooldownMs();
    toast(reason, () => rejectText(reason, left(), message), { kind, countdown: left });
  } else {
    toast(reason, rejectText(reason, 0, message), { kind });
  }
  if (Number.isInteger(x) && Number.isInteger(y)) {
    announce(`Pixel at ${x}, ${y} not placed: ${rejectText(reason, retryAfterMs ?? 0, message)}`);
  }
}

let placedCount = 0;
let placedTimer = null;
// During a stroke acks arrive many per second; one summary is enough.
function notePlaced(x, y, color) {
  placedCount++;
  clearTimeout(placedTimer);
  const only = placedCount === 1 ? { x, y, color } : null;
  placedTimer = setTimeout(() => {
    announce(only ? `Pixel at ${only.x}, ${only.y} painted ${only.color ?? ''}`.trim() : `${placedCount} pixels painted`);
    placedCount = 0;
  }, 400);
}

// ------------------------------------------------------------ announcements

let hoverAnnounceTimer = null;
function announce(text) {
  // Re-setting the same text would not be read again; clear first.
  el.announcer.textContent = '';
  requestAnimationFrame(() => {
    el.announcer.textContent = text;
  });
}
function announcePixelSoon(p) {
  clearTimeout(hoverAnnounceTimer);
  hoverAnnounceTimer = setTimeout(() => announce(describePixel(p)), 500);
}
function describePixel(p) {
  if (!client.bitmap?.inBounds(p.x, p.y)) return 'Outside the canvas';
  const hex = client.palette.hexOf(client.displayIndex(p.x, p.y)) ?? 'unknown colour';
  const lock = client.locks.find(p.x, p.y);
  return `x ${p.x}, y ${p.y}, ${hex}${lock ? ', locked' : ''}`;
}

// --------------------------------------------------------------- tooltip

function updateTooltip() {
  const p = state.hover;
  if (!p || !client.bitmap?.inBounds(p.x, p.y) || state.gesture?.kind === 'pan' || state.gesture?.kind === 'pinch') {
    el.tooltip.hidden = true;
    return;
  }
  const hex = client.palette.hexOf(client.displayIndex(p.x, p.y)) ?? '?';
  const lock = client.locks.find(p.x, p.y);
  el.tooltip.querySelector('.tooltip-swatch').style.background = hex;
  el.tooltip.querySelector('.tooltip-text').textContent = `(${p.x}, ${p.y}) ${hex}${lock ? ' · locked' + (lock.reason ? `: ${lock.reason}` : '') : ''}`;
  const { w, h } = viewportSize();
  const tx = Math.min(state.hoverScreen.x, w - 200);
  const ty = Math.min(state.hoverScreen.y, h - 40);
  el.tooltip.style.left = `${tx}px`;
  el.tooltip.style.top = `${ty}px`;
  el.tooltip.hidden = false;
}

function setHover(sx, sy) {
  const p = vp.screenToCanvas(state.view, sx, sy);
  state.hoverScreen = { x: sx, y: sy };
  const changed = !state.hover || state.hover.x !== p.x || state.hover.y !== p.y;
  state.hover = p;
  if (changed) {
    overlayDirty = true;
    requestFrame();
    if (client.bitmap?.inBounds(p.x, p.y)) announcePixelSoon(p);
  }
  updateTooltip();
}

function clearHover() {
  state.hover = null;
  el.tooltip.hidden = true;
  clearTimeout(hoverAnnounceTimer);
  overlayDirty = true;
  requestFrame();
}

// ------------------------------------------------------- pointer and touch

function localPoint(ev) {
  const r = el.viewport.getBoundingClientRect();
  return { x: ev.clientX - r.left, y: ev.clientY - r.top };
}

function pinchInfo() {
  const [a, b] = [...state.pointers.values()];
  return { distance: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
}

el.viewport.addEventListener('pointerdown', (ev) => {
  if (!client.bitmap) return;
  el.viewport.focus({ preventScroll: true });
  el.viewport.setPointerCapture(ev.pointerId);
  const p = localPoint(ev);
  state.pointers.set(ev.pointerId, p);
  if (state.pointers.size === 2) {
    // A second finger turns whatever was happening into a pinch.
    state.gesture = { kind: 'pinch', last: pinchInfo() };
    clearHover();
    return;
  }
  if (state.pointers.size > 2) return;
  const panButton = ev.pointerType === 'mouse' && (ev.button === 1 || ev.button === 2 || spaceHeld);
  if (panButton) {
    state.gesture = { kind: 'pan', last: p };
    el.viewport.classList.add('panning');
  } else if (ev.button === 0 && state.tool === 'draw' && !pixelInfo.active()) {
    const c = vp.screenToCanvas(state.view, p.x, p.y);
    state.gesture = { kind: 'stroke', last: c, pointerId: ev.pointerId };
    client.enqueue([c], 'brush', state.color);
    rememberRecent(state.color);
  } else if (ev.button === 0) {
    state.gesture = { kind: 'tap', start: p, last: p, pointerId: ev.pointerId };
  }
});

el.viewport.addEventListener('pointermove', (ev) => {
  const p = localPoint(ev);
  if (ev.pointerType === 'mouse') setHover(p.x, p.y);
  if (!state.pointers.has(ev.pointerId)) return;
  state.pointers.set(ev.pointerId, p);
  const g = state.gesture;
  if (!g) return;
  if (g.kind === 'pinch' && state.pointers.size >= 2) {
    const now = pinchInfo();
    setView(vp.pinch(state.view, g.last, now));
    g.last = now;
  } else if (g.kind === 'tap') {
    if (Math.hypot(p.x - g.start.x, p.y - g.start.y) > TAP_SLOP_PX) {
      state.gesture = { kind: 'pan', last: g.start };
      el.viewport.classList.add('panning');
      panTo(p);
    }
  } else if (g.kind === 'pan') {
    panTo(p);
  } else if (g.kind === 'stroke') {
    const c = vp.screenToCanvas(state.view, p.x, p.y);
    if (c.x !== g.last.x || c.y !== g.last.y) {
      client.enqueue(linePixels(g.last.x, g.last.y, c.x, c.y).slice(1), 'brush', state.color);
      g.last = c;
    }
  }
});

function panTo(p) {
  const g = state.gesture;
  setView({ scale: state.view.scale, offsetX: state.view.offsetX + p.x - g.last.x, offsetY: state.view.offsetY + p.y - g.last.y });
  g.last = p;
}

function endPointer(ev, cancelled) {
  if (!state.pointers.has(ev.pointerId)) return;
  state.pointers.delete(ev.pointerId);
  const g = state.gesture;
  if (g?.kind === 'tap' && !cancelled && g.pointerId === ev.pointerId) {
    const p = localPoint(ev);
    const c = vp.screenToCanvas(state.view, p.x, p.y);
    (pixelInfo.active() ? pixelInfo.inspect : paintAt)(c.x, c.y);
  }
  if (state.pointers.size === 0) {
    state.gesture = null;
    el.viewport.classList.remove('panning');
  } else if (g?.kind === 'pinch') {
    // Lifting one finger of a pinch continues as a pan with the other.
    const [rest] = state.pointers.values();
    state.gesture = { kind: 'pan', last: rest };
  }
}
el.viewport.addEventListener('pointerup', (ev) => endPointer(ev, false));
el.viewport.addEventListener('pointercancel', (ev) => endPointer(ev, true));
el.viewport.addEventListener('pointerleave', (ev) => {
  if (ev.pointerType === 'mouse') clearHover();
});
el.viewport.addEventListener('contextmenu', (ev) => ev.preventDefault());
el.viewport.addEventListener(
  'wheel',
  (ev) => {
    ev.preventDefault();
    const p = localPoint(ev);
    // Trackpad pinches arrive as ctrl+wheel with small deltas; scale them up.
    const k = ev.ctrlKey ? 0.01 : 0.0015;
    const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
    zoomBy(Math.exp(-delta * k), p.x, p.y);
    setHover(p.x, p.y);
  },
  { passive: false },
);

// --------------------------------------------------------------- keyboard

let spaceHeld = false;

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
  if (ev.target === el.viewport && handleCanvasKey(ev)) return;
  if (el.palette.contains(ev.target)) {
    paletteKeys(ev);
    if (ev.defaultPrevented) return;
  }
  if (ev.target.closest?.('.tools') && (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft')) {
    const tools = ['brush', 'draw', 'eraser'];
    const i = tools.indexOf(state.tool) + (ev.key === 'ArrowRight' ? 1 : -1);
    setTool(tools[(i + tools.length) % tools.length]);
    document.querySelector(`.tools [data-tool="${state.tool}"]`).focus();
    ev.preventDefault();
    return;
  }
  const key = ev.key.toLowerCase();
  const actions = {
    b: () => setTool('brush'),
    d: () => setTool('draw'),
    e: () => setTool('eraser'),
    z: toggleZoom,
    g: toggleGrid,
    f: fitView,
    '+': () => zoomBy(1.5),
    '=': () => zoomBy(1.5),
    '-': () => zoomBy(1 / 1.5),
  };
  if (actions[key]) {
    actions[key]();
    ev.preventDefault();
  }
});

document.addEventListener('keydown', (ev) => {
  if (ev.key === ' ' && ev.target !== el.viewport && !isTyping(ev.target)) spaceHeld = true;
});
document.addEventListener('keyup', (ev) => {
  if (ev.key === ' ') spaceHeld = false;
});

/** Arrow keys move a cursor over the canvas; Enter/Space paint under it. */
function handleCanvasKey(ev) {
  if (!client.bitmap) return false;
  const step = ev.shiftKey ? 10 : 1;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (!moves[ev.key] && ev.key !== 'Enter' && ev.key !== ' ') return false;
  if (!state.cursor) {
    const { w, h } = viewportSize();
    const c = vp.screenToCanvas(state.view, w / 2, h / 2);
    state.cursor = clampToCanvas(c);
  }
  if (moves[ev.key]) {
    const [dx, dy] = moves[ev.key];
    state.cursor = clampToCanvas({ x: state.cursor.x + dx, y: state.cursor.y + dy });
    keepCursorVisible();
    overlayDirty = true;
    requestFrame();
    announcePixelSoon(state.cursor);
    ev.preventDefault();
    return true;
  }
  if (ev.key === 'Enter' || ev.key === ' ') {
    (pixelInfo.active() ? pixelInfo.inspect : paintAt)(state.cursor.x, state.cursor.y);
    ev.preventDefault();
    return true;
  }
  return false;
}

function clampToCanvas(p) {
  return { x: Math.max(0, Math.min(client.bitmap.width - 1, p.x)), y: Math.max(0, Math.min(client.bitmap.height - 1, p.y)) };
}

function keepCursorVisible() {
  const { w, h } = viewportSize();
  const s = vp.canvasToScreen(state.view, state.cursor.x, state.cursor.y);
  const margin = Math.max(24, state.view.scale * 2);
  if (s.x < margin || s.y < margin || s.x > w - margin || s.y > h - margin) {
    setView(vp.centreOn(state.view, state.cursor.x, state.cursor.y, w, h));
  }
}

el.viewport.addEventListener('focus', () => {
  overlayDirty = true;
  requestFrame();
});
el.viewport.addEventListener('blur', () => {
  overlayDirty = true;
  requestFrame();
});

// ------------------------------------------------------- buttons and status

$('#zoom-in').addEventListener('click', () => zoomBy(1.5));
$('#zoom-out').addEventListener('click', () => zoomBy(1 / 1.5));
$('#zoom-fit').addEventListener('click', fitView);
el.gridToggle.addEventListener('click', toggleGrid);
for (const b of document.querySelectorAll('.tools [data-tool]')) b.addEventListener('click', () => setTool(b.dataset.tool));
el.retry.addEventListener('click', () => client.reconnectNow());

// The help popover closes like a menu: Escape or a click elsewhere.
const help = $('.help');
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && help.open) {
    help.open = false;
    help.querySelector('summary').focus();
  }
});
document.addEventListener('pointerdown', (ev) => {
  if (help.open && !help.contains(ev.target)) help.open = false;
});


// ------------------------------------------------------------ client events

client.on('canvas', () => {
  const first = !image;
  if (client.palette && el.palette.children.length !== client.palette.size) buildPalette();
  renderAll();
  if (first || state.viewFitted) fitView();
});
client.on('palette', () => buildPalette());
client.on('pixels', (list) => {
  for (const p of list) renderPixel(p.x, p.y);
  if (state.hover) updateTooltip();
});
client.on('locks', () => {
  overlayDirty = true;
  requestFrame();
  scheduleLockExpiry();
});
client.on('ack', (a) => notePlaced(a.x, a.y, a.color));
client.on('reject', showReject);
client.on('reverted', ({ count }) => {
  toast('reverted', `${count === 1 ? 'One pixel was' : `${count} pixels were`} not confirmed before the connection dropped and ${count === 1 ? 'was' : 'were'} undone.`, { kind: 'info' });
});
client.on('server-error', (e) => console.warn('server error frame', e));
client.on('resync', (e) => console.info('resyncing canvas:', e.reason));

let lockTimer = null;
function scheduleLockExpiry() {
  clearTimeout(lockTimer);
  const next = client.locks.nextExpiry();
  if (Number.isFinite(next)) {
    lockTimer = setTimeout(() => {
      overlayDirty = true;
      requestFrame();
      scheduleLockExpiry();
    }, Math.max(250, next - Date.now() + 50));
  }
}

window.addEventListener('online', () => client.setOnline(true));
window.addEventListener('offline', () => client.setOnline(false));
new ResizeObserver(() => {
  if (state.viewFitted) fitView();
  else setView(state.view);
}).observe(el.viewport);

// ------------------------------------------------------------------- start

setTool('brush', false);
followStatus(client, el);
const canvasLoadFailed = followCanvasLoading(client, el);
mountHistory({ client, board: el.board, container: document.querySelector('.stage') });
client.start().catch(canvasLoadFailed);
