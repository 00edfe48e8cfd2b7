// The pixel-info tool. A toggle button (or the key I) switches it on; then a
// tap or click on the canvas asks the server about that pixel
// (GET /pixels/{x}/{y}) instead of painting, and a card shows when the pixel
// was placed, its colour, by whom (a pseudonym, when the server shows it) and
// how many times it changed. A refused lookup is said in words on the card
// ("Too many lookups, try again in 37 s.").
//
// For other modules (the moderator console):
// - onPixelCard(fn): fn({ x, y, info, actions }) runs each time the card opens
//   with an answer. `info` is the server's JSON; `info.placement.userId` is
//   there only when the lookup carried the admin token. `actions` is an
//   element of the card, emptied before each opening, where buttons may be
//   added. Returns a function that unsubscribes.
// - setLookupToken(fn): fn() returns the admin token or null; with a token the
//   lookup sends it as `Authorization: Bearer`, and the answer includes the
//   raw user id. Nothing is sent while fn returns null (the default).

import { Emitter } from './lib/emitter.js';
import { lookupPath, describeLookup, lookupErrorText } from './lib/pixelinfo.js';

const events = new Emitter();
let tokenSource = () => null;

export function onPixelCard(fn) {
  return events.on('card', fn);
}

export function setLookupToken(fn) {
  tokenSource = fn;
}

/**
 * Wires the tool to the page. `colors()` gives the palette's hex list, `now()`
 * the current time in ms. Returns { active(), inspect(x, y) }: the page calls
 * inspect for a tap while active() is true, instead of painting.
 */
export function mountPixelInfo({ colors, now = () => Date.now() }) {
  const button = document.querySelector('#info-toggle');
  const card = document.querySelector('#pixel-card');
  const title = card.querySelector('.pixel-card-title');
  const swatch = card.querySelector('.pixel-card-swatch');
  const rows = card.querySelector('.pixel-card-rows');
  const message = card.querySelector('.pixel-card-message');
  const actions = card.querySelector('.pixel-card-actions');
  let on = false;
  let asked = 0;

  function toggle(value = !on) {
    on = value;
    button.setAttribute('aria-pressed', String(on));
    document.body.dataset.infoTool = on ? 'on' : 'off';
    if (!on) card.hidden = true;
  }

  function show(text, content) {
    title.textContent = text;
    rows.replaceChildren();
    actions.replaceChildren();
    message.textContent = '';
    message.hidden = true;
    swatch.hidden = true;
    if (content) {
      for (const { label, value } of content.rows) {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = value;
        rows.append(dt, dd);
      }
      if (content.color) {
        swatch.style.background = content.color;
        swatch.hidden = false;
      }
    }
    card.hidden = false;
  }

  async function inspect(x, y) {
    const mine = ++asked;
    show(`Pixel (${x}, ${y})`);
    message.textContent = 'Looking up…';
    message.hidden = false;
    const token = tokenSource();
    let res;
    try {
      res = await fetch(lookupPath(x, y), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    } catch {
      if (mine === asked) message.textContent = 'Pixel info is unreachable; check the connection.';
      return;
    }
    const body = await res.json().catch(() => null);
    if (mine !== asked) return; // a newer lookup owns the card
    if (!res.ok) {
      message.textContent = lookupErrorText(res.status, res.headers.get('Retry-After'), body);
      return;
    }
    const content = describeLookup(body, colors(), now());
    show(content.title, content);
    events.emit('card', { x, y, info: body, actions });
  }

  button.addEventListener('click', () => toggle());
  card.querySelector('.pixel-card-close').addEventListener('click', () => (card.hidden = true));
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName)) return;
    if (ev.key === 'i' || ev.key === 'I') {
      toggle();
      ev.preventDefault();
    } else if (ev.key === 'Escape' && !card.hidden) {
      card.hidden = true;
    }
  });
  return { active: () => on, inspect };
}
