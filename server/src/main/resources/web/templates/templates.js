// Templates: images of the art players want, laid over the canvas. This
// module owns them end to end: it converts them to the palette, keeps their
// progress current from the client's pixel events, draws them on a layer of
// their own, stores them, and helps a player paint the next wrong pixel by
// hand. It never paints by itself: every paint is one key press or click.

import { quantize } from '../lib/quantize.js';
import { TemplateList, loadTemplates, saveTemplates, safeImageUrl } from '../lib/template.js';
import { TemplateProgress } from '../lib/templateprogress.js';
import { buildShareHash, parseShareHash } from '../lib/templatelink.js';
import * as vp from '../lib/viewport.js';
import { decodeBlob, decodeUrl, fetchImage, TemplateError } from './images.js';
import { TemplatePicture, drawTemplates } from './layer.js';
import { buildPanel } from './panel.js';

const PICK_ZOOM = 12;

/**
 * Mounts templates on the page. `app` gives what the page owns: the client,
 * the viewport element, the page state (view, cursor), setView, selectColor,
 * paintAt and storage. Returns { redraw } for the page to call when the view
 * changes.
 */
export function mountTemplates(app) {
  const { client, viewport, state, storage } = app;
  let list = new TemplateList();
  const live = new Map(); // id -> { picture, progress, counts }
  let paletteKey = '';
  let started = false;
  let picked = null;
  let moving = false;
  let drag = null;
  let frameRequested = false;
  let uiRequested = false;

  const layer = document.createElement('canvas');
  layer.className = 'template-layer';
  layer.setAttribute('aria-hidden', 'true');
  viewport.insertBefore(layer, viewport.querySelector('#overlay'));
  const ctx = layer.getContext('2d');

  const ui = buildPanel({
    addFile: (f) => addBlob(f, f.name),
    addUrl: (u) => addUrl(u),
    toggleMove: () => setMoving(!moving),
    next: pickNext,
    paint: paintPicked,
    change,
    move: (id, d) => {
      if (list.move(id, d)) changedList();
    },
    remove: (id) => {
      list.remove(id);
      live.delete(id);
      if (picked?.id === id) picked = null;
      changedList();
    },
    shareLink: (t) => location.origin + location.pathname + buildShareHash(t),
  });
  viewport.parentElement.append(ui.panel);
  document.querySelector('.topbar .help')?.before(ui.toggle);

  const entries = () => list.items.map((t) => ({ t, ...live.get(t.id) }));
  const canvasSize = () => ({ W: client.bitmap.width, H: client.bitmap.height });

  // ------------------------------------------------------------ drawing

  function redraw() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      const dpr = window.devicePixelRatio || 1;
      const w = viewport.clientWidth, h = viewport.clientHeight;
      if (layer.width !== Math.round(w * dpr) || layer.height !== Math.round(h * dpr)) {
        layer.width = Math.round(w * dpr);
        layer.height = Math.round(h * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      if (!client.bitmap) return;
      const { W, H } = canvasSize();
      drawTemplates(ctx, entries(), state.view, W, H, w, h, { outline: moving });
      if (picked) markPicked(picked);
    });
  }

  // The picked pixel gets a frame of its own: the page's keyboard cursor only
  // shows while the canvas has focus, and the panel's buttons usually have it.
  function markPicked(p) {
    const v = state.view;
    const size = Math.max(v.scale, 4);
    const x = v.offsetX + p.x * v.scale, y = v.offsetY + p.y * v.scale;
    ctx.lineWidth = 2;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.95)';
    ctx.strokeRect(x - 3, y - 3, size + 6, size + 6);
    ctx.strokeStyle = '#2f6fed';
    ctx.strokeRect(x - 1.5, y - 1.5, size + 3, size + 3);
  }

  function refreshUi() {
    if (uiRequested) return;
    uiRequested = true;
    requestAnimationFrame(() => {
      uiRequested = false;
      for (const e of entries()) ui.refresh(e);
    });
  }

  // ------------------------------------------------------------ conversion

  /**
   * Converts a template to the current palette and counts its progress;
   * `decoded` spares decoding its stored image again right after adding it.
   */
  async function convert(t, decoded = null) {
    const { W, H } = canvasSize();
    const { width, height, rgba } = decoded ?? (await decodeUrl(t.image, W, H));
    if (width !== t.width || height !== t.height) throw new TemplateError('The stored image does not match its template.');
    const { indices, counts } = quantize(rgba, width, height, client.palette.colors, { dither: t.dither });
    const picture = new TemplatePicture(indices, width, height, client.palette);
    const read = (x, y) => client.displayIndex(x, y);
    const progress = new TemplateProgress(indices, width, t.x, t.y, W, H, read);
    const entry = { picture, progress, counts };
    resetDiff(entry);
    if (list.get(t.id)) live.set(t.id, entry);
    return entry;
  }

  function resetDiff({ picture, progress }) {
    for (let i = 0; i < picture.indices.length; i++) picture.setWrong(i, progress.wrongAt(i));
  }

  async function reconvertAll() {
    let removed = false;
    for (const t of [...list.items]) {
      try {
        await convert(t);
      } catch (err) {
        list.remove(t.id);
        removed = true;
        ui.say(`The template “${t.name}” could not be restored and was removed: ${err.message}`, 'error');
      }
    }
    changedList(removed);
  }

  // ------------------------------------------------------------ adding

  function defaultPlace(width, height) {
    const { W, H } = canvasSize();
    const c = vp.screenToCanvas(state.view, viewport.clientWidth / 2, viewport.clientHeight / 2);
    const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
    return { x: clamp(Math.round(c.x - width / 2), 0, W - width), y: clamp(Math.round(c.y - height / 2), 0, H - height) };
  }

  async function addDecoded(decoded, { name, url = null, x, y, mode }) {
    const place = Number.isInteger(x) && Number.isInteger(y) ? { x, y } : defaultPlace(decoded.width, decoded.height);
    const id = 't' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    const t = list.add({ id, name, url, ...place, width: decoded.width, height: decoded.height, image: decoded.png, mode });
    try {
      await convert(t, decoded);
    } catch (err) {
      list.remove(t.id);
      throw err;
    }
    // Said first, so that a storage problem found while saving is what stays on screen.
    ui.say(`Added “${t.name}” at ${t.x}, ${t.y}.`);
    changedList();
    return t;
  }

  async function guarded(work) {
    if (!started) {
      ui.say('The canvas is still loading; try again in a moment.', 'error');
      return;
    }
    if (list.full) {
      ui.say('There are already as many templates as this page keeps: remove one first.', 'error');
      return;
    }
    try {
      await work();
    } catch (err) {
      ui.say(err?.message || 'That image could not be added.', 'error');
    }
  }

  function addBlob(blob, name) {
    return guarded(async () => {
      const { W, H } = canvasSize();
      ui.say('Reading the image…');
      await addDecoded(await decodeBlob(blob, W, H), { name: name || 'Pasted image' });
    });
  }

  function addUrl(raw, placement = {}) {
    return guarded(async () => {
      const url = safeImageUrl(raw, location.href);
      if (!url) throw new TemplateError('That is not an http(s) address of an image.');
      const { W, H } = canvasSize();
      ui.say('Loading the image…');
      const decoded = await fetchImage(url, W, H);
      const { pathname, host } = new URL(url);
      const last = pathname.split('/').pop();
      let name;
      try {
        name = decodeURIComponent(last) || host;
      } catch {
        name = last;
      }
      await addDecoded(decoded, { name, url, ...placement });
    });
  }

  // ------------------------------------------------------------ changes

  function persist() {
    const problem = saveTemplates(storage, list);
    if (problem) ui.say(problem, 'error');
  }

  function changedList(save = true) {
    ui.renderList(entries(), client.palette);
    if (save) persist();
    redraw();
  }

  async function change(id, patch, { save = true } = {}) {
    const before = list.get(id);
    const t = list.update(id, patch);
    if (!t) return;
    const e = live.get(id);
    if ('dither' in patch && patch.dither !== before.dither) {
      await convert(t);
      changedList();
      return;
    }
    if (e && (t.x !== before.x || t.y !== before.y)) {
      e.progress.x = t.x;
      e.progress.y = t.y;
      e.progress.recount();
      resetDiff(e);
    }
    if (save) persist();
    ui.refresh({ t, ...live.get(id) });
    redraw();
  }

  // ------------------------------------------------------------ painting help

  function pickNext() {
    if (!client.bitmap) return;
    const locks = client.locks.active();
    const locked = (x, y) => locks.some((l) => x >= l.x1 && x <= l.x2 && y >= l.y1 && y <= l.y2);
    for (const t of list.items) {
      const e = live.get(t.id);
      if (!t.enabled || !e) continue;
      // A locked pixel would only be refused: leave it for later.
      const next = e.progress.nextWrong(locked);
      if (!next) continue;
      const hex = client.palette.hexOf(next.index);
      picked = { id: t.id, x: next.x, y: next.y, hex };
      app.selectColor(hex, false);
      state.cursor = { x: next.x, y: next.y };
      const w = viewport.clientWidth, h = viewport.clientHeight;
      app.setView(vp.centreOn({ ...state.view, scale: Math.max(state.view.scale, PICK_ZOOM) }, next.x, next.y, w, h));
      ui.setNext(`Next: ${next.x}, ${next.y} in ${hex}. Press P to paint it.`);
      redraw();
      return;
    }
    picked = null;
    redraw();
    ui.setNext(list.items.some((t) => t.enabled) ? 'Every pixel of the shown templates is right.' : 'Show a template first.');
  }

  /** Paints the picked pixel once, if it is still wrong, then picks the next. */
  function paintPicked() {
    const e = picked && live.get(picked.id);
    if (!e) {
      pickNext();
      return;
    }
    if (e.progress.isWrong(picked.x, picked.y)) {
      app.selectColor(picked.hex, false);
      app.paintAt(picked.x, picked.y);
    }
    pickNext();
  }

  function setMoving(on) {
    moving = on;
    ui.setMove(on);
    viewport.classList.toggle('template-moving', on);
    redraw();
  }

  // ------------------------------------------------------------ events

  client.on('pixels', (pixels) => {
    let changed = false;
    for (const e of live.values()) {
      for (const p of pixels) {
        if (e.progress.update(p.x, p.y)) {
          const i = e.progress.at(p.x, p.y);
          e.picture.setWrong(i, e.progress.wrongAt(i));
          changed = true;
        }
      }
    }
    if (changed) {
      refreshUi();
      redraw();
    }
  });

  client.on('canvas', async () => {
    const key = client.palette.colors.join();
    if (!started) {
      started = true;
      paletteKey = key;
      list = loadTemplates(storage);
      await reconvertAll();
      openSharedTemplate();
      return;
    }
    if (key !== paletteKey) {
      paletteKey = key;
      await reconvertAll();
      return;
    }
    for (const e of live.values()) {
      e.progress.recount();
      resetDiff(e);
    }
    refreshUi();
    redraw();
  });

  function openSharedTemplate() {
    const shared = parseShareHash(location.hash, location.href);
    if (!shared) return;
    if (shared.error) {
      ui.say(shared.error, 'error');
      return;
    }
    const same = list.items.find((t) => t.url === shared.url && t.x === shared.x && t.y === shared.y);
    if (same) return;
    addUrl(shared.url, { x: shared.x, y: shared.y, mode: shared.mode });
  }
  window.addEventListener('hashchange', () => started && openSharedTemplate());

  const typing = (t) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    const key = ev.key.toLowerCase();
    if (key === 'n') pickNext();
    else if (key === 'p' && !ev.repeat) paintPicked();
    else return;
    ev.preventDefault();
  });

  document.addEventListener('dragover', (ev) => {
    if (ev.dataTransfer?.types.includes('Files')) ev.preventDefault();
  });
  document.addEventListener('drop', (ev) => {
    const f = [...(ev.dataTransfer?.files ?? [])].find((x) => x.type.startsWith('image/'));
    if (!ev.dataTransfer?.types.includes('Files')) return;
    ev.preventDefault();
    if (f) addBlob(f, f.name);
    else ui.say('Only images can be templates.', 'error');
  });
  document.addEventListener('paste', (ev) => {
    const item = [...(ev.clipboardData?.items ?? [])].find((i) => i.kind === 'file' && i.type.startsWith('image/'));
    if (!item) return;
    ev.preventDefault();
    addBlob(item.getAsFile(), 'Pasted image');
  });

  // The move tool: a drag that starts on a template moves it instead of
  // panning. Listening on the viewport's parent in the capture phase keeps
  // the canvas's own pointer handling from seeing the drag at all.
  viewport.parentElement.addEventListener('pointerdown', (ev) => {
    if (!moving || ev.button !== 0 || !viewport.contains(ev.target) || !client.bitmap) return;
    const r = viewport.getBoundingClientRect();
    const c = vp.screenToCanvas(state.view, ev.clientX - r.left, ev.clientY - r.top);
    const t = list.items.find((t) => t.enabled && c.x >= t.x && c.y >= t.y && c.x < t.x + t.width && c.y < t.y + t.height);
    if (!t) return;
    ev.stopPropagation();
    ev.preventDefault();
    drag = { id: t.id, startX: ev.clientX, startY: ev.clientY, x: t.x, y: t.y };
  }, true);
  window.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const t = list.get(drag.id);
    if (!t) return;
    t.x = drag.x + Math.round((ev.clientX - drag.startX) / state.view.scale);
    t.y = drag.y + Math.round((ev.clientY - drag.startY) / state.view.scale);
    ui.refresh({ t, ...live.get(t.id) });
    redraw();
  });
  window.addEventListener('pointerup', () => {
    if (!drag) return;
    const t = list.get(drag.id);
    const { x, y } = t ?? {};
    if (t) Object.assign(t, { x: drag.x, y: drag.y });
    const id = drag.id;
    drag = null;
    if (t) change(id, { x, y });
  });

  return { redraw };
}
