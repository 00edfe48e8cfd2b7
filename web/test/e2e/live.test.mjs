import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openFixture, closeFixture } from './fixture.mjs';
import { fetchCanvas } from './server.mjs';
import { openApp, clickPixel, renderedColor, waitForColor, paintRaw, screenshot } from './page.mjs';

const W = 48, H = 32;

describe('live canvas in two browser pages', () => {
  let server, browser, palette;

  before(async () => ({ server, browser, palette } = await openFixture(W, H)));
  after(() => closeFixture({ server, browser }));

  it('a pixel painted in one page appears in the other page and in GET /canvas', async () => {
    const painter = await openApp(browser.context, server.url);
    const watcher = await openApp(browser.context, server.url);
    const red = palette.find((c) => c.toUpperCase() === '#FF0000') ?? palette[2];
    await painter.click(`#palette [data-color="${red}"]`);
    await clickPixel(painter, 7, 5);

    // Optimistic on the painter's side, then broadcast to the watcher.
    await waitForColor(painter, 7, 5, red);
    await waitForColor(watcher, 7, 5, red);
    assert.equal(await renderedColor(watcher, 6, 5), palette[0].toUpperCase(), 'neighbours stay background');

    const canvas = await fetchCanvas(server.url);
    assert.equal(canvas.bytes[5 * W + 7], palette.indexOf(red));
    assert.ok(canvas.seq >= 1);

    // The watcher checked the server's hash against its own bitmap and agreed.
    await watcher.waitForFunction(() => window.pixels.client.stats.hashChecks > 0);
    assert.equal(await watcher.evaluate(() => window.pixels.client.stats.hashMismatches), 0);
    await painter.close();
    await watcher.close();
  });

  it('the page announces the outcome of a paint in its live region', async () => {
    const page = await openApp(browser.context, server.url);
    await clickPixel(page, 2, 2);
    await page.waitForFunction(() => /Pixel at 2, 2 painted/.test(document.querySelector('#announcer').textContent));
    await page.close();
  });

  it('a page opened later shows the canvas as painted before, at the right colours, and a screenshot is saved', async () => {
    // A known picture: a diagonal of every palette colour and a black frame.
    const pixels = [];
    for (let i = 0; i < Math.min(palette.length, H); i++) pixels.push({ x: 10 + i, y: i, color: palette[i] });
    const black = palette.find((c) => c.toUpperCase() === '#000000') ?? palette[1];
    for (let x = 0; x < W; x++) pixels.push({ x, y: H - 1, color: black });
    const seeder = await browser.context.newPage();
    await seeder.goto(server.url + '/health');
    const answers = await paintRaw(seeder, server.url, pixels);
    assert.ok(answers.every((a) => a.type === 'pixel:ack'), JSON.stringify(answers.find((a) => a.type !== 'pixel:ack')));
    await seeder.close();

    let canvasResponse;
    const page = await openApp(browser.context, server.url, {
      beforeGoto: (p) => p.on('response', (r) => new URL(r.url()).pathname === '/canvas' && (canvasResponse = r)),
    });
    assert.equal((await canvasResponse.allHeaders())['content-encoding'], 'gzip', 'the bitmap is fetched compressed');
    await waitForColor(page, 10 + 3, 3, palette[3]);
    for (const [x, y, hex] of [[10, 0, palette[0]], [10 + 5, 5, palette[5]], [10 + 17, 17, palette[17]], [0, H - 1, black], [W - 1, H - 1, black], [9, 0, palette[0]]]) {
      assert.equal(await renderedColor(page, x, y), hex.toUpperCase(), `pixel ${x},${y}`);
    }
    const file = await screenshot(page, 'known-canvas');
    assert.ok(file.endsWith('known-canvas.png'));
    await page.close();
  });

  it('opening / in a browser lands on the page', async () => {
    const page = await browser.context.newPage();
    const res = await page.goto(server.url + '/');
    assert.ok(res.ok(), `GET / ended with ${res.status()} at ${page.url()}`);
    assert.match(page.url(), /\/app\//);
    await page.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout: 15_000 });
    await page.close();
  });
});
