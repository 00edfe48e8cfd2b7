import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { startServer, fetchPalette, fetchCanvas, sleep } from './server.mjs';
import { openApp, clickPixel, waitForColor } from './page.mjs';

const W = 24, H = 16;
// Short enough that a boundary passes between two paints without a long wait.
const INTERVAL_MS = 200;

/** The colour drawn on the history layer at canvas pixel x,y, as #RRGGBB. */
async function historyColor(page, x, y) {
  return page.evaluate(([x, y]) => {
    const d = document.querySelector('#history-board').getContext('2d').getImageData(x, y, 1, 1).data;
    return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0').toUpperCase()).join('');
  }, [x, y]);
}

describe('history scrubber in a browser page', () => {
  let server, browser, palette;

  before(async () => {
    server = await startServer({
      CANVAS_WIDTH: String(W), CANVAS_HEIGHT: String(H), RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0',
      HISTORY_POINT_INTERVAL_MS: String(INTERVAL_MS), REST_LIMIT_HISTORY_PER_MINUTE: '0',
    });
    browser = await launch();
    palette = await fetchPalette(server.url);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('scrubbing back shows the canvas as it was before a later paint, and Live returns to the live canvas', async () => {
    const page = await openApp(browser.context, server.url);
    const red = palette.find((c) => c.toUpperCase() === '#FF0000');
    const black = palette.find((c) => c.toUpperCase() === '#000000');
    await page.click(`#palette [data-color="${red}"]`);
    await clickPixel(page, 4, 3);
    await waitForColor(page, 4, 3, red.toUpperCase());
    await page.waitForFunction(() => window.pixels.client.pending.byId.size === 0);
    await sleep(2 * INTERVAL_MS + 50);
    await page.click(`#palette [data-color="${black}"]`);
    await clickPixel(page, 4, 3);
    await waitForColor(page, 4, 3, black.toUpperCase());
    await page.waitForFunction(() => window.pixels.client.pending.byId.size === 0);
    assert.equal((await fetchCanvas(server.url)).bytes[3 * W + 4], palette.indexOf(black));

    await page.click('.history-toggle');
    // The newest point before the black paint: the canvas with the red pixel.
    const position = await page.waitForFunction(() => {
      const slider = document.querySelector('#history-slider');
      return Number(slider.max) >= 2 && Number(slider.max) - 1;
    });
    await page.evaluate((p) => {
      const slider = document.querySelector('#history-slider');
      slider.value = String(p);
      slider.dispatchEvent(new Event('input'));
    }, await position.jsonValue());
    await page.waitForFunction(() => !document.querySelector('#history-board').hidden);
    assert.equal(await historyColor(page, 4, 3), red.toUpperCase());
    assert.notEqual(await page.textContent('#history-label'), 'Live');

    // The oldest point is the blank canvas.
    await page.evaluate(() => {
      const slider = document.querySelector('#history-slider');
      slider.value = '0';
      slider.dispatchEvent(new Event('input'));
    });
    const background = palette[0].toUpperCase();
    await page.waitForFunction((hex) => {
      const d = document.querySelector('#history-board').getContext('2d').getImageData(4, 3, 1, 1).data;
      return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0').toUpperCase()).join('') === hex;
    }, background);

    await page.click('.history-live');
    await page.waitForFunction(() => document.querySelector('#history-board').hidden);
    assert.equal(await page.textContent('#history-label'), 'Live');
    await waitForColor(page, 4, 3, black.toUpperCase());
    await page.close();
  });
});
