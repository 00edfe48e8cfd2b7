import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { startServer } from './server.mjs';
import { screenshot, waitConnected } from './page.mjs';

const W = 20, H = 10;
// One canvas load in any 10 s window: the page waits out most of it.
const WINDOW_S = 10;
const RETRY_WAIT_MS = (WINDOW_S + 15) * 1000;

describe('a page whose canvas load is rate limited', () => {
  let server, browser;

  before(async () => {
    server = await startServer({
      CANVAS_WIDTH: String(W), CANVAS_HEIGHT: String(H), REST_LIMIT_CANVAS_PER_MINUTE: '1',
      REST_LIMIT_CANVAS_WINDOW_SECONDS: String(WINDOW_S),
    });
    browser = await launch();
    // Spend this address's only /canvas of the window, as another tab or a script would.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/canvas`);
      await res.arrayBuffer();
      if (res.status === 429) break;
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says it is rate limited with a countdown, then shows the canvas once the retry succeeds', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    await page.goto(server.url + '/app/index.html');

    await page.waitForFunction(() => /too many canvas loads/i.test(document.querySelector('#loading').textContent));
    const text = await page.textContent('#loading');
    assert.match(text, /Trying again in \d+ s…/);
    const firstLeft = Number(/in (\d+) s/.exec(text)[1]);
    assert.ok(firstLeft > 1 && firstLeft <= WINDOW_S, `countdown starts near the Retry-After (${firstLeft} s)`);
    await page.waitForFunction(
      (first) => Number(/in (\d+) s/.exec(document.querySelector('#loading').textContent)?.[1]) < first,
      firstLeft,
    );
    await screenshot(page, 'canvas-rate-limited');

    await page.waitForFunction(() => document.querySelector('#loading').hidden, null, { timeout: RETRY_WAIT_MS });
    await waitConnected(page);
    const size = await page.evaluate(() => [window.pixels.client.bitmap.width, window.pixels.client.bitmap.height]);
    assert.deepEqual(size, [W, H]);
    await screenshot(page, 'canvas-after-retry');
    await page.close();
  });
});
