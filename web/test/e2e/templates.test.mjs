import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch } from './browser.mjs';
import { openFixture, closeFixture } from './fixture.mjs';
import path from 'node:path';
import { fetchCanvas, ARTIFACTS } from './server.mjs';
import { openApp, screenshot } from './page.mjs';
import { encodePng } from './png.mjs';

const W = 200, H = 200;

/** An image server on another origin: /art.png with CORS headers, /nocors.png without. */
async function startImageServer(png) {
  const srv = http.createServer((req, res) => {
    const cors = req.url === '/art.png' ? { 'Access-Control-Allow-Origin': '*' } : {};
    if (req.url === '/art.png' || req.url === '/nocors.png') {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, ...cors });
      res.end(png);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((r) => srv.close(r)) };
}

/** The RGBA of the template layer at the centre of canvas pixel x,y (or at fx,fy inside it, 0..1). */
function layerAt(page, x, y, fx = 0.5, fy = 0.5) {
  return page.evaluate(([x, y, fx, fy]) => {
    const { view } = window.pixels.state;
    const layer = document.querySelector('.template-layer');
    const dpr = window.devicePixelRatio || 1;
    const sx = Math.floor((view.offsetX + (x + fx) * view.scale) * dpr), sy = Math.floor((view.offsetY + (y + fy) * view.scale) * dpr);
    return [...layer.getContext('2d').getImageData(sx, sy, 1, 1).data];
  }, [x, y, fx, fy]);
}

async function openPanel(page) {
  if ((await page.getAttribute('#templates-toggle', 'aria-expanded')) !== 'true') await page.click('#templates-toggle');
}

async function place(page, x, y) {
  await page.fill('.template-item input[name="x"]', String(x));
  await page.press('.template-item input[name="x"]', 'Tab');
  await page.fill('.template-item input[name="y"]', String(y));
  await page.press('.template-item input[name="y"]', 'Tab');
}

const progressText = (page) => page.textContent('.template-item .template-progress');
const waitProgress = (page, text) =>
  page.waitForFunction((t) => document.querySelector('.template-item .template-progress')?.textContent === t, text, { timeout: 10_000 });

describe('templates', () => {
  let server, browser, palette, images, A, B, C, png, colors;

  before(async () => {
    ({ server, browser, palette } = await openFixture(W, H));
    palette = palette.map((c) => c.toUpperCase());
    [A, B, C] = [palette[6], palette[13], palette[10]];
    // C′ is C off by a little: conversion must map it to C.
    const off = '#' + [1, 3, 5].map((i) => Math.min(255, parseInt(C.slice(i, i + 2), 16) + 3).toString(16).padStart(2, '0')).join('');
    colors = [A, A, B, null, B, B, null, A, C, off, C, C];
    png = encodePng(4, 3, colors);
    images = await startImageServer(png);
  });
  after(async () => {
    await images?.close();
    await closeFixture({ server, browser });
  });

  let page;

  it('a PNG from the file picker is converted, counted, placed at 100,100 and drawn, and progress reads 0 of 10', async () => {
    page = await openApp(browser.context, server.url);
    await openPanel(page);
    await page.setInputFiles('#template-file', { name: 'art.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.template-item');
    await place(page, 100, 100);
    await waitProgress(page, '0 of 10 pixels correct (0.0 %)');
    const counts = await page.$$eval('.template-counts li', (els) => Object.fromEntries(els.map((e) => [e.dataset.color, e.textContent])));
    assert.deepEqual(counts, { [A]: `3 × ${A}`, [B]: `3 × ${B}`, [C]: `4 × ${C}` });
    // The preview is the converted image: C′ shows as C.
    const preview = await page.$eval('.template-preview', (c) => [...c.getContext('2d').getImageData(1, 2, 1, 1).data]);
    assert.equal('#' + preview.slice(0, 3).map((v) => v.toString(16).padStart(2, '0')).join('').toUpperCase(), C);
    await page.waitForFunction(() => true);
    assert.ok((await layerAt(page, 100, 100))[3] > 0, 'the overlay is drawn over the template pixel');
    assert.equal((await layerAt(page, 103, 100))[3], 0, 'a transparent template pixel draws nothing');
    assert.equal((await layerAt(page, 99, 100))[3], 0, 'nothing is drawn outside the template');
  });

  it('"next pixel" picks a wrong pixel and its colour, P paints it and progress moves; another page\'s paint moves it too', async () => {
    await page.click('#template-next-button');
    assert.equal(await page.textContent('#current-hex'), A);
    assert.deepEqual(await page.evaluate(() => window.pixels.state.cursor), { x: 100, y: 100 });
    assert.match(await page.textContent('#template-next'), /Next: 100, 100/);
    // Nothing is painted until the player asks.
    assert.equal((await fetchCanvas(server.url)).bytes[100 * W + 100], 0);
    await page.keyboard.press('p');
    await waitProgress(page, '1 of 10 pixels correct (10.0 %)');
    await page.waitForFunction(() => window.pixels.client.pending.size === 0);
    const canvas = await fetchCanvas(server.url);
    assert.equal(canvas.bytes[100 * W + 100], palette.indexOf(A));
    assert.equal(canvas.bytes.filter((b) => b !== 0).length, 1, 'one key press paints exactly one pixel');

    const other = await openApp(browser.context, server.url);
    const r = await other.evaluate((hex) => window.pixels.client.paint(101, 100, 'brush', hex), A);
    assert.ok(r.ok);
    await waitProgress(page, '2 of 10 pixels correct (20.0 %)');
    // Painting a right pixel wrong again moves progress back.
    await other.evaluate((hex) => window.pixels.client.paint(101, 100, 'brush', hex), B);
    await waitProgress(page, '1 of 10 pixels correct (10.0 %)');
    await other.evaluate((hex) => window.pixels.client.paint(101, 100, 'brush', hex), A);
    await waitProgress(page, '2 of 10 pixels correct (20.0 %)');
    await other.close();
  });

  it('after a reload the template is still there, in the same place, with its progress', async () => {
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.connection === 'connected');
    await openPanel(page);
    await waitProgress(page, '2 of 10 pixels correct (20.0 %)');
    assert.equal(await page.inputValue('.template-item input[name="x"]'), '100');
    assert.equal(await page.inputValue('.template-item input[name="y"]'), '100');
    assert.ok((await layerAt(page, 102, 100))[3] > 0);
  });

  it('each display mode draws what it says, with a screenshot of each', async () => {
    await page.click('#template-next-button'); // zooms in close on the template
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.click('#templates-toggle'); // out of the way of the screenshot
    const setMode = async (mode) => {
      await page.click('#templates-toggle');
      await page.selectOption('.template-item select[name="mode"]', mode);
      await page.click('#templates-toggle');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    };
    await setMode('image');
    assert.ok((await layerAt(page, 100, 100, 0.1, 0.1))[3] > 0, 'image: the whole pixel is covered');
    await screenshot(page, 'template-mode-image');

    await setMode('dots');
    assert.ok((await layerAt(page, 102, 100))[3] > 0, 'dots: a mark at the centre');
    assert.equal((await layerAt(page, 102, 100, 0.05, 0.05))[3], 0, 'dots: the rest of the pixel shows the canvas');
    await screenshot(page, 'template-mode-dots');

    await setMode('diff');
    assert.equal((await layerAt(page, 100, 100))[3], 0, 'differences only: a right pixel is not marked');
    assert.ok((await layerAt(page, 102, 100))[3] > 0, 'differences only: a wrong pixel is marked');
    await screenshot(page, 'template-mode-diff');
    await setMode('image');
    await page.click('#templates-toggle');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.click('.template-colours summary');
    // A smaller picture for web/README.md: the panel and the template beside it.
    await page.screenshot({ path: path.join(ARTIFACTS, 'template-panel.png'), clip: { x: 0, y: 52, width: 720, height: 560 } });
  });

  it('the move tool drags a template to a new position, and progress follows it', async () => {
    await page.click('#template-move');
    const scale = await page.evaluate(() => window.pixels.state.view.scale);
    const from = await page.evaluate(() => {
      const { view } = window.pixels.state;
      const r = document.querySelector('#board-viewport').getBoundingClientRect();
      return { x: r.left + view.offsetX + 102.5 * view.scale, y: r.top + view.offsetY + 101.5 * view.scale };
    });
    const before = await fetchCanvas(server.url);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + scale * 3, from.y + scale, { steps: 4 });
    await page.mouse.up();
    assert.equal(await page.inputValue('.template-item input[name="x"]'), '103');
    assert.equal(await page.inputValue('.template-item input[name="y"]'), '101');
    // The drag painted nothing, and at the new place no template pixel is right yet.
    assert.deepEqual((await fetchCanvas(server.url)).bytes, before.bytes);
    await waitProgress(page, '0 of 10 pixels correct (0.0 %)');
    assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('pixels.templates'))).templates[0].x, 103);
    await page.close();
  });

  it('an image dropped on the canvas or pasted becomes a template', async () => {
    const p = await openApp(browser.context, server.url);
    try {
      await p.waitForFunction(() => window.pixels.client.bitmap !== null);
      const before = await p.$$eval('.template-item', (els) => els.length);
      const bytes = [...png];
      await p.evaluate((bytes) => {
        const file = new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' });
        const dt = new DataTransfer();
        dt.items.add(file);
        document.querySelector('#board-viewport').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, bytes);
      await p.waitForFunction((n) => document.querySelectorAll('.template-item').length === n + 1, before);
      await p.evaluate((bytes) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
        document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, bytes);
      await p.waitForFunction((n) => document.querySelectorAll('.template-item').length === n + 2, before);
      const names = await p.$$eval('.template-name', (els) => els.map((e) => e.textContent.trim()));
      assert.deepEqual(names.slice(0, 2), ['Pasted image', 'dropped.png']);
      // Leave the list as it was for the tests after this one.
      for (let i = 0; i < 2; i++) await p.click('.template-item .template-remove');
      assert.equal(await p.$$eval('.template-item', (els) => els.length), before);
    } finally {
      await p.close();
    }
  });

  it('a URL template\'s share link opens a fresh browser with the template at the same position', async () => {
    // The second browser is fresh: nothing in its storage.
    const second = await launch();
    try {
      const a = await openApp(browser.context, server.url);
      await openPanel(a);
      await a.fill('#template-url', `${images.url}/art.png`);
      await a.click('.templates-url button[type="submit"]');
      await a.waitForSelector('.template-item input[name="share"]');
      await place(a, 30, 40);
      await waitProgress(a, '0 of 10 pixels correct (0.0 %)');
      const link = await a.inputValue('.template-item input[name="share"]');
      assert.ok(link.startsWith(server.url + '/app/'));
      assert.match(link, /#template=.*&x=30&y=40$/);

      const b = await openApp(second.context, server.url, { path: link.slice(server.url.length) });
      await b.waitForSelector('.template-item');
      await openPanel(b);
      await waitProgress(b, '0 of 10 pixels correct (0.0 %)');
      assert.equal(await b.inputValue('.template-item input[name="x"]'), '30');
      assert.equal(await b.inputValue('.template-item input[name="y"]'), '40');
      assert.ok((await layerAt(b, 30, 40))[3] > 0);
      await a.close();
    } finally {
      await second.close();
    }
  });

  it('when the browser\'s storage is full the template still shows and a message says it will not survive a reload', async () => {
    const p = await openApp(browser.context, server.url);
    try {
      await openPanel(p);
      await p.waitForFunction(() => window.pixels.client.bitmap !== null);
      const stored = await p.evaluate(() => localStorage.getItem('pixels.templates'));
      // Fill the origin's storage to within a few characters of its quota.
      const fillers = await p.evaluate(() => {
        let n = 0;
        for (let chunk = 1 << 21; chunk >= 8; ) {
          try {
            localStorage.setItem(`filler${n}`, 'x'.repeat(chunk));
            n++;
          } catch {
            chunk >>= 1;
          }
        }
        return n;
      });
      assert.ok(fillers > 0);
      try {
        const before = await p.$$eval('.template-item', (els) => els.length);
        await p.setInputFiles('#template-file', { name: 'full.png', mimeType: 'image/png', buffer: png });
        await p.waitForFunction((n) => document.querySelectorAll('.template-item').length === n + 1, before);
        assert.match(await p.textContent('#template-message'), /storage for this site is full: the newest change will not survive a reload/);
        assert.equal(await p.evaluate(() => localStorage.getItem('pixels.templates')), stored, 'what was stored is left as it was');
      } finally {
        await p.evaluate((n) => {
          for (let i = 0; i < n; i++) localStorage.removeItem(`filler${i}`);
        }, fillers);
      }
    } finally {
      await p.close();
    }
  });

  it('an image from another origin without CORS, or larger than the canvas, is refused in words', async () => {
    const p = await openApp(browser.context, server.url);
    try {
      await openPanel(p);
      await p.waitForFunction(() => window.pixels.client.bitmap !== null);
      const before = await p.$$eval('.template-item', (els) => els.length);
      await p.fill('#template-url', `${images.url}/nocors.png`);
      await p.click('.templates-url button[type="submit"]');
      await p.waitForFunction(() => document.querySelector('#template-message').dataset.kind === 'error', null, { timeout: 10_000 });
      const text = await p.textContent('#template-message');
      assert.match(text, /does not allow other sites to read its images \(it sends no CORS headers\)/);
      assert.match(text, /Download the image/);
      await screenshot(p, 'template-cors-refused');

      const big = encodePng(W + 1, 2, new Array((W + 1) * 2).fill(A));
      await p.setInputFiles('#template-file', { name: 'big.png', mimeType: 'image/png', buffer: big });
      await p.waitForFunction(() => /larger than the/.test(document.querySelector('#template-message').textContent));
      assert.match(await p.textContent('#template-message'), new RegExp(`${W + 1} × 2 pixels, larger than the ${W} × ${H} canvas`));
      assert.equal(await p.$$eval('.template-item', (els) => els.length), before);
    } finally {
      await p.close();
    }
  });
});
