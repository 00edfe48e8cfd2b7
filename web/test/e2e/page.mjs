// Page-level helpers: open the app, find a canvas pixel on screen, read a
// rendered pixel back from the <canvas>, and paint over a raw WebSocket the
// way another client would.
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS } from './server.mjs';

export async function openApp(context, url, { path: p = '/app/index.html', beforeGoto } = {}) {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err.message));
  if (process.env.PIXELS_E2E_PROTOCOL === 'json') await refuseBinary(page);
  await beforeGoto?.(page);
  await page.goto(url + p);
  await waitConnected(page);
  return page;
}

export async function waitConnected(page, timeout = 15_000) {
  await page.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout });
}

/** Viewport coordinates (for mouse/touch) of the centre of canvas pixel x,y. */
export async function pixelCentre(page, x, y) {
  return page.evaluate(
    ([x, y]) => {
      const { view } = window.pixels.state;
      const r = document.querySelector('#board-viewport').getBoundingClientRect();
      return { x: r.left + view.offsetX + (x + 0.5) * view.scale, y: r.top + view.offsetY + (y + 0.5) * view.scale };
    },
    [x, y],
  );
}

export async function clickPixel(page, x, y) {
  const p = await pixelCentre(page, x, y);
  await page.mouse.click(p.x, p.y);
}

/** The colour drawn on the page's <canvas> at canvas pixel x,y, as #RRGGBB. */
export async function renderedColor(page, x, y) {
  return page.evaluate(
    ([x, y]) => {
      const d = document.querySelector('#board').getContext('2d').getImageData(x, y, 1, 1).data;
      return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0').toUpperCase()).join('');
    },
    [x, y],
  );
}

export async function waitForColor(page, x, y, hex, timeout = 10_000) {
  await page.waitForFunction(
    ([x, y, hex]) => {
      const d = document.querySelector('#board').getContext('2d').getImageData(x, y, 1, 1).data;
      const got = '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0').toUpperCase()).join('');
      return got === hex;
    },
    [x, y, hex.toUpperCase()],
    { timeout },
  );
}

/**
 * Paints pixels over a separate raw WebSocket opened from `page` (not the
 * page's own client), waiting for every answer. Returns the answers.
 */
export async function paintRaw(page, url, pixels, { token } = {}) {
  const wsUrl = url.replace(/^http/, 'ws') + '/ws' + (token ? `?token=${encodeURIComponent(token)}` : '');
  return page.evaluate(
    ([wsUrl, pixels]) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(wsUrl);
        const answers = new Map();
        const timer = setTimeout(() => reject(new Error(`only ${answers.size}/${pixels.length} answers`)), 15_000);
        ws.onmessage = (ev) => {
          const msg = JSON.parse(ev.data);
          if (msg.type === 'canvas:state') {
            pixels.forEach((p, i) => ws.send(JSON.stringify({ type: 'pixel:update', id: `raw${i}`, data: { tool: 'brush', ...p } })));
          } else if (msg.type === 'pixel:ack' || msg.type === 'pixel:reject') {
            answers.set(msg.data.id, msg);
            if (answers.size === pixels.length) {
              clearTimeout(timer);
              ws.close();
              resolve(pixels.map((_, i) => answers.get(`raw${i}`)));
            }
          }
        };
        ws.onerror = () => reject(new Error('raw websocket failed'));
      }),
    [wsUrl, pixels],
  );
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Makes `page` meet a server that does not take the binary subprotocol:
 * 'ignore' opens the socket without it (the handshake picks none), 'fail'
 * fails every handshake that offers it, as a strict server or proxy would.
 * Set PIXELS_E2E_PROTOCOL=json to run every browser test with 'ignore'.
 */
export async function refuseBinary(page, how = 'ignore') {
  await page.addInitScript((how) => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        const offers = [].concat(protocols ?? []).includes('pixels.v1.bin');
        if (how === 'fail') super(offers ? String(url).replace('/ws?', '/ws-refused?') : url, protocols);
        else super(url);
      }
    };
  }, how);
}
