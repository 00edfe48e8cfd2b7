import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { startServer, fetchCanvas, fetchPalette, ADMIN_TOKEN } from './server.mjs';
import { openApp, clickPixel, renderedColor, waitForColor, screenshot } from './page.mjs';

const W = 40, H = 30;
// Until the safety issue lands a server may lack locks or limits; say so
// loudly as a skip, or fail when PIXELS_E2E_STRICT=1 asks for everything.
const STRICT = process.env.PIXELS_E2E_STRICT === '1';

function missing(t, what) {
  if (STRICT) assert.fail(`server is missing ${what}`);
  t.skip(`server is missing ${what}`);
}

/** Watches the page's own socket for pixel:reject frames. */
function recordRejects(page) {
  const rejects = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      try {
        const msg = JSON.parse(f.payload);
        if (msg.type === 'pixel:reject') rejects.push(msg.data);
      } catch {}
    }),
  );
  return rejects;
}

describe('refused pixels', () => {
  let server, browser, palette, black, white;

  before(async () => {
    server = await startServer({
      CANVAS_WIDTH: String(W),
      CANVAS_HEIGHT: String(H),
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: '3',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    browser = await launch();
    palette = await fetchPalette(server.url);
    white = palette[0].toUpperCase();
    black = palette.find((c) => c.toUpperCase() === '#000000') ?? palette[1];
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a lock made while the page is open is hatched at once, and a pixel inside it reverts with a toast', async (t) => {
    let rejects;
    const page = await openApp(browser.context, server.url, { beforeGoto: (p) => (rejects = recordRejects(p)) });
    const lock = { x1: 20, y1: 10, x2: 29, y2: 19 };
    const res = await fetch(`${server.url}/locks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...lock, reason: 'e2e mural' }),
    });
    if (res.status === 404 || res.status === 405) return missing(t, 'POST /locks');
    assert.equal(res.status, 201);

    // moderation:lock reaches the open page; no reload needed.
    await page.waitForFunction(() => window.pixels.client.locks.active().length === 1);
    await screenshot(page, 'locked-region');
    await clickPixel(page, 25, 15);
    await page.waitForSelector('.toast[data-reason="locked_region"]');
    assert.match(await page.textContent('.toast[data-reason="locked_region"]'), /locked/i);
    await waitForColor(page, 25, 15, white);
    assert.equal(rejects.at(-1)?.reason, 'locked_region');
    assert.equal((await fetchCanvas(server.url)).bytes[15 * W + 25], 0);

    // Outside the lock the same click is accepted.
    await clickPixel(page, 5, 5);
    await waitForColor(page, 5, 5, black);

    // A page opened now learns the lock from GET /locks.
    const late = await openApp(browser.context, server.url);
    await late.waitForFunction(() => window.pixels.client.locks.find(29, 19) !== null);
    await late.close();

    // Unlocking clears the hatching live.
    const del = await fetch(`${server.url}/locks/${lock.x1}/${lock.y1}/${lock.x2}/${lock.y2}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(del.status, 204);
    await page.waitForFunction(() => window.pixels.client.locks.active().length === 0);
    await page.close();
  });

  it('painting faster than the rate limit reverts the refused pixel and counts down to when painting can resume', async (t) => {
    let rejects;
    const page = await openApp(browser.context, server.url, { beforeGoto: (p) => (rejects = recordRejects(p)) });
    // The cooldown lasts about a second, so what the page shows during it is recorded as it
    // changes rather than read afterwards, when the countdown may already be over.
    await page.evaluate(() => {
      window.__rateShown = [];
      new MutationObserver(() => {
        const toast = document.querySelector('.toast[data-reason="rate_limited"]');
        if (!toast) return;
        window.__rateShown.push({
          toast: toast.textContent,
          cooldown: document.querySelector('#rate')?.getAttribute('data-cooldown'),
          rateText: document.querySelector('#rate-text')?.textContent,
        });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    for (let x = 0; x < 6; x++) await clickPixel(page, x, 25);
    await page.waitForFunction(() => window.pixels.client.pending.size === 0 || document.querySelector('.toast[data-reason="rate_limited"]'), null, { timeout: 5000 });
    await page.waitForTimeout(300);
    if (!rejects.some((r) => r.reason === 'rate_limited')) return missing(t, 'per-user rate limiting (RATE_LIMIT_BURST)');

    await page.locator('.toast[data-reason="rate_limited"]').waitFor();
    const shown = await page.evaluate(() => window.__rateShown);
    assert.ok(shown.some((s) => /again in \d+ s/.test(s.toast) && s.cooldown === 'true' && /wait \d+ s/.test(s.rateText)),
      `the toast counted down beside the rate indicator; shown: ${JSON.stringify(shown.slice(0, 5))}`);

    const refused = rejects.filter((r) => r.reason === 'rate_limited');
    assert.ok(refused.every((r) => Number.isFinite(r.retryAfterMs) && r.retryAfterMs > 0), 'rate_limited rejects carry retryAfterMs');
    const canvas = await fetchCanvas(server.url);
    for (const r of refused) {
      await waitForColor(page, r.x, r.y, white);
      assert.equal(canvas.bytes[r.y * W + r.x], 0, `refused pixel ${r.x},${r.y} is not on the server`);
    }
    // The accepted ones stay.
    assert.equal(await renderedColor(page, 0, 25), black.toUpperCase());

    // The countdown ends and painting works again.
    await page.waitForFunction(() => !window.pixels.client.rate.cooldownMs(), null, { timeout: 10_000 });
    await page.waitForTimeout(1100);
    await clickPixel(page, 10, 28);
    await waitForColor(page, 10, 28, black);
    await page.waitForFunction(() => window.pixels.client.pending.size === 0);
    assert.equal((await fetchCanvas(server.url)).bytes[28 * W + 10], palette.indexOf(black));
    await page.close();
  });
});
