import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { startServer, fetchPalette } from './server.mjs';
import { openApp, clickPixel, paintRaw, screenshot } from './page.mjs';

const W = 24, H = 24;

async function cardText(page, pattern) {
  await page.waitForFunction(
    (source) => {
      const card = document.querySelector('#pixel-card');
      return !card.hidden && new RegExp(source).test(card.textContent);
    },
    pattern.source,
    { timeout: 10_000 },
  );
  return page.textContent('#pixel-card');
}

describe('the pixel-info card', () => {
  let server, browser, palette;

  before(async () => {
    server = await startServer({ CANVAS_WIDTH: String(W), CANVAS_HEIGHT: String(H), REST_LIMIT_PIXEL_INFO: '2' });
    browser = await launch();
    palette = await fetchPalette(server.url);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows when, by which pseudonym and how often a pixel was painted, and tells subscribers', async () => {
    const page = await openApp(browser.context, server.url);
    await paintRaw(page, server.url, [{ x: 5, y: 6, color: palette[5] }, { x: 5, y: 6, color: palette[7] }]);
    await page.evaluate(async () => {
      // The page's modules live under a versioned path; the same URL gives the same module.
      const module = await import(new URL('pixelinfo.js', document.querySelector('script[type="module"]').src).href);
      window.cards = [];
      module.onPixelCard(({ info, actions }) => window.cards.push({ info, hasActions: actions instanceof HTMLElement }));
    });
    await page.keyboard.press('i');
    assert.equal(await page.getAttribute('#info-toggle', 'aria-pressed'), 'true');
    await clickPixel(page, 5, 6);
    const text = await cardText(page, /painter-[0-9a-z]{10}/);
    assert.match(text, /Pixel \(5, 6\)/);
    assert.match(text, /Placed\s*(just now|\d+ s ago)/);
    assert.match(text, new RegExp(`Colour\\s*${palette[7]}`, 'i'));
    assert.match(text, /Changes\s*2/);
    const cards = await page.evaluate(() => window.cards);
    assert.equal(cards.length, 1);
    assert.equal(cards[0].info.changes, 2);
    assert.equal(cards[0].info.placement.userId, undefined, 'no raw id without the admin token');
    assert.ok(cards[0].hasActions);
    const canvas = await (await fetch(`${server.url}/canvas`)).arrayBuffer();
    assert.equal(new Uint8Array(canvas)[6 * W + 5], 7, 'the click looked the pixel up instead of painting it');
    await screenshot(page, 'pixel-info-card');
    await page.close();
  });

  it('lays the heatmap and the virgin map over the canvas, following its zoom', async () => {
    const page = await openApp(browser.context, server.url);
    await page.click('#heatmap-toggle');
    await page.click('#virgin-toggle');
    const loaded = (name) => page.waitForFunction(
      (n) => document.querySelector(`img[data-overlay="${n}"]`)?.naturalWidth > 0, name, { timeout: 10_000 });
    await loaded('Heatmap');
    await loaded('Virgin map');
    const [size, follows] = await page.evaluate(() => {
      const img = document.querySelector('img[data-overlay="Heatmap"]');
      return [[img.naturalWidth, img.naturalHeight], img.style.transform === document.querySelector('#board').style.transform];
    });
    assert.deepEqual(size, [W, H]);
    assert.ok(follows);
    await page.click('#heatmap-toggle');
    assert.equal(await page.getAttribute('#heatmap-toggle', 'aria-pressed'), 'false');
    assert.ok(await page.evaluate(() => document.querySelector('img[data-overlay="Heatmap"]').hidden));
    await page.close();
  });

  it('says in words when the lookup limit is reached', async () => {
    const page = await openApp(browser.context, server.url);
    await page.click('#info-toggle');
    for (let i = 0; i < 3; i++) {
      await clickPixel(page, 1 + i, 1);
      await page.waitForFunction(() => !/Looking up/.test(document.querySelector('#pixel-card').textContent));
    }
    const text = await cardText(page, /Too many lookups, try again in \d+ s\./);
    const seconds = Number(/in (\d+) s/.exec(text)[1]);
    assert.ok(seconds >= 1 && seconds <= 120, `${seconds} s`);
    await page.close();
  });
});

describe('the pixel-info card with PIXEL_INFO_SHOW_USER=false', () => {
  let server, browser, palette;

  before(async () => {
    server = await startServer({ CANVAS_WIDTH: String(W), CANVAS_HEIGHT: String(H), PIXEL_INFO_SHOW_USER: 'false' });
    browser = await launch();
    palette = await fetchPalette(server.url);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the time and colour but no user', async () => {
    const page = await openApp(browser.context, server.url);
    await paintRaw(page, server.url, [{ x: 2, y: 3, color: palette[4] }]);
    await page.click('#info-toggle');
    await clickPixel(page, 2, 3);
    const text = await cardText(page, /Changes\s*1/);
    assert.match(text, /Placed/);
    assert.doesNotMatch(text, /By|painter-|anon-|User id/);
    await page.close();
  });
});
