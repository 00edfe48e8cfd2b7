import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { openFixture, closeFixture } from './fixture.mjs';
import { startServer, restartServer, fetchCanvas } from './server.mjs';
import { openApp, clickPixel, waitForColor, paintRaw, waitConnected, screenshot } from './page.mjs';

const W = 32, H = 24;

describe('connection loss', () => {
  let server, browser, palette;

  before(async () => ({ server, browser, palette } = await openFixture(W, H)));
  after(() => closeFixture({ server, browser }));

  it('after the server restarts with the same data, the page reconnects and catches up without reloading', async () => {
    const page = await openApp(browser.context, server.url);
    const black = palette.find((c) => c.toUpperCase() === '#000000') ?? palette[1];
    await clickPixel(page, 3, 3);
    await page.waitForFunction(() => window.pixels.client.pending.size === 0);
    // Survives only if the document is never reloaded.
    await page.evaluate(() => (window.__sameDocument = true));
    const connectsBefore = await page.evaluate(() => window.pixels.client.stats.connects);

    await server.stop();
    await page.waitForFunction(() => ['reconnecting', 'offline'].includes(document.body.dataset.connection), null, { timeout: 10_000 });
    assert.match(await page.textContent('#status-text'), /Reconnecting|Offline/);
    await screenshot(page, 'reconnecting');

    server = await restartServer(server);
    // Painted by someone else right after the restart: the page must get it
    // either by catching up with sinceSeq or live, whichever comes first.
    const other = await browser.context.newPage();
    await other.goto(server.url + '/health');
    const red = palette.find((c) => c.toUpperCase() === '#FF0000') ?? palette[2];
    const answers = await paintRaw(other, server.url, [{ x: 10, y: 8, color: red }, { x: 11, y: 8, color: red }]);
    assert.ok(answers.every((a) => a.type === 'pixel:ack'));
    await other.close();

    await waitConnected(page, 30_000);
    await waitForColor(page, 10, 8, red);
    await waitForColor(page, 11, 8, red);
    await waitForColor(page, 3, 3, black);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    assert.ok((await page.evaluate(() => window.pixels.client.stats.connects)) > connectsBefore);
    assert.match(await page.textContent('#status-text'), /Connected/);

    // And it is live again: a pixel painted now shows up and reaches the server.
    await clickPixel(page, 20, 20);
    await page.waitForFunction(() => window.pixels.client.pending.size === 0);
    const canvas = await fetchCanvas(server.url);
    assert.equal(canvas.bytes[20 * W + 20], palette.indexOf(black));
    assert.equal(canvas.bytes[3 * W + 3], palette.indexOf(black));
    const seq = await page.evaluate(() => window.pixels.client.seq);
    assert.equal(seq, canvas.seq);
    await page.close();
  });

  it('the status indicator shows the round-trip time measured by heartbeats', async () => {
    const page = await openApp(browser.context, server.url);
    await page.waitForFunction(() => /Connected · \d+ ms/.test(document.querySelector('#status-text').textContent));
    assert.equal(await page.getAttribute('#status', 'data-state'), 'connected');
    await page.close();
  });

  it('when the browser goes offline the status says so, and back online the page catches up even past what the server still buffers', async () => {
    // A tiny resume buffer: the missed pixels are no longer replayable, so
    // the server answers the resume with resync:true and the page refetches.
    const small = await startServer({ CANVAS_WIDTH: String(W), CANVAS_HEIGHT: String(H), RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0', RESUME_BUFFER_PIXELS: '1', BATCH_INTERVAL_MS: '5' });
    const painterBrowser = await launch();
    try {
      const page = await openApp(browser.context, small.url);
      await page.evaluate(() => (window.__sameDocument = true));
      await browser.context.setOffline(true);
      await page.waitForFunction(() => document.body.dataset.connection === 'offline');
      assert.match(await page.textContent('#status-text'), /Offline/);

      const painter = await painterBrowser.context.newPage();
      await painter.goto(small.url + '/health');
      const missed = [];
      for (let i = 0; i < 6; i++) missed.push({ x: 2 + i, y: 20, color: palette[(i % (palette.length - 1)) + 1] });
      // One pixel per frame round trip, so they land in separate batches.
      for (const p of missed) assert.equal((await paintRaw(painter, small.url, [p]))[0].type, 'pixel:ack');

      const resyncsBefore = await page.evaluate(() => window.pixels.client.stats.resyncs);
      await browser.context.setOffline(false);
      await waitConnected(page, 30_000);
      for (const p of missed) await waitForColor(page, p.x, p.y, p.color);
      assert.ok((await page.evaluate(() => window.pixels.client.stats.resyncs)) > resyncsBefore, 'the page refetched /canvas');
      assert.equal(await page.evaluate(() => window.__sameDocument), true);
      const canvas = await fetchCanvas(small.url);
      assert.equal(await page.evaluate(() => window.pixels.client.seq), canvas.seq);
      assert.deepEqual(await page.evaluate(() => Array.from(window.pixels.client.bitmap.data)), Array.from(canvas.bytes));
      await page.close();
    } finally {
      await browser.context.setOffline(false);
      await painterBrowser.close();
      await small.stop();
    }
  });
});
