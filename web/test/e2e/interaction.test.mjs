import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { openFixture, closeFixture } from './fixture.mjs';
import { fetchCanvas } from './server.mjs';
import { openApp, pixelCentre, waitForColor, renderedColor, screenshot } from './page.mjs';

const W = 40, H = 40;

describe('controls, keyboard and touch', () => {
  let server, browser, palette;

  before(async () => ({ server, browser, palette } = await openFixture(W, H)));
  after(() => closeFixture({ server, browser }));

  it('the palette shows every server colour as a labelled control', async () => {
    const page = await openApp(browser.context, server.url);
    const swatches = await page.$$eval('#palette [role="radio"]', (els) => els.map((e) => [e.dataset.color, e.getAttribute('aria-label')]));
    assert.deepEqual(swatches.map((s) => s[0]), palette.map((c) => c.toUpperCase()));
    assert.ok(swatches.every(([hex, label]) => label.includes(hex)));
    // Every button has an accessible name.
    const unnamed = await page.$$eval('button', (els) => els.filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length);
    assert.equal(unnamed, 0);
    await page.close();
  });

  it('the keyboard alone can pick a colour, move the cursor and paint, and the live region says where', async () => {
    const page = await openApp(browser.context, server.url);
    const blue = palette.find((c) => c.toUpperCase() === '#0000EA') ?? palette[5];
    // Focus the selected swatch and walk the palette with arrow keys.
    await page.focus('#palette [aria-checked="true"]');
    const startIndex = await page.$$eval('#palette [role="radio"]', (els) => els.findIndex((e) => e.getAttribute('aria-checked') === 'true'));
    const target = palette.indexOf(blue);
    const key = target > startIndex ? 'ArrowRight' : 'ArrowLeft';
    for (let i = 0; i < Math.abs(target - startIndex); i++) await page.keyboard.press(key);
    assert.equal(await page.textContent('#current-hex'), blue.toUpperCase());

    await page.focus('#board-viewport');
    await page.keyboard.press('ArrowRight');
    const cursor = await page.evaluate(() => window.pixels.state.cursor);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Enter');
    const x = cursor.x, y = cursor.y + 10;
    await waitForColor(page, x, y, blue);
    await page.waitForFunction(([x, y]) => document.querySelector('#announcer').textContent.includes(`Pixel at ${x}, ${y} painted`), [x, y]);
    await page.waitForFunction(() => window.pixels.client.pending.size === 0);
    assert.equal((await fetchCanvas(server.url)).bytes[y * W + x], target);
    await page.close();
  });

  it('shortcuts switch tools, toggle the grid and zoom in and back to fit', async () => {
    const page = await openApp(browser.context, server.url);
    await page.focus('#board-viewport');
    await page.keyboard.press('e');
    assert.equal(await page.getAttribute('[data-tool="eraser"]', 'aria-checked'), 'true');
    await page.keyboard.press('b');
    assert.equal(await page.getAttribute('[data-tool="brush"]', 'aria-checked'), 'true');
    await page.keyboard.press('g');
    assert.equal(await page.getAttribute('#grid-toggle', 'aria-pressed'), 'true');
    const fitScale = await page.evaluate(() => window.pixels.state.view.scale);
    await page.keyboard.press('z');
    const zoomed = await page.evaluate(() => window.pixels.state.view.scale);
    assert.ok(zoomed > fitScale, `zoomed ${zoomed} > fit ${fitScale}`);
    await screenshot(page, 'zoomed-grid');
    await page.keyboard.press('z');
    assert.equal(await page.evaluate(() => window.pixels.state.view.scale), fitScale);
    await page.close();
  });

  it('the eraser paints the background colour back', async () => {
    const page = await openApp(browser.context, server.url);
    const p = await pixelCentre(page, 30, 30);
    await page.mouse.click(p.x, p.y);
    await waitForColor(page, 30, 30, '#000000');
    await page.click('[data-tool="eraser"]');
    await page.mouse.click(p.x, p.y);
    await waitForColor(page, 30, 30, palette[0]);
    await page.waitForFunction(() => window.pixels.client.pending.size === 0);
    assert.equal((await fetchCanvas(server.url)).bytes[30 * W + 30], 0);
    await page.close();
  });

  it('drawing mode paints a connected stroke along a mouse drag', async () => {
    const page = await openApp(browser.context, server.url);
    await page.click('[data-tool="draw"]');
    const a = await pixelCentre(page, 5, 35);
    const b = await pixelCentre(page, 15, 35);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 3 });
    await page.mouse.up();
    for (let x = 5; x <= 15; x++) await waitForColor(page, x, 35, '#000000');
    await page.waitForFunction(() => window.pixels.client.pending.size === 0 && window.pixels.client.queue.length === 0);
    const bytes = (await fetchCanvas(server.url)).bytes;
    for (let x = 5; x <= 15; x++) assert.equal(bytes[35 * W + x], palette.indexOf('#000000'), `pixel ${x},35`);
    await page.close();
  });

  it('wheel zoom keeps the pixel under the pointer in place, and a drag pans without painting', async () => {
    const page = await openApp(browser.context, server.url);
    const p = await pixelCentre(page, 20, 10);
    await page.mouse.move(p.x, p.y);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => window.pixels.state.view.scale > 12);
    const after = await page.evaluate(([sx, sy]) => {
      const { view } = window.pixels.state;
      const r = document.querySelector('#board-viewport').getBoundingClientRect();
      return { x: Math.floor((sx - r.left - view.offsetX) / view.scale), y: Math.floor((sy - r.top - view.offsetY) / view.scale) };
    }, [p.x, p.y]);
    assert.deepEqual(after, { x: 20, y: 10 });

    const before = await page.evaluate(() => ({ ...window.pixels.state.view }));
    const seqBefore = (await fetchCanvas(server.url)).seq;
    await page.mouse.down();
    await page.mouse.move(p.x + 80, p.y + 40, { steps: 5 });
    await page.mouse.up();
    const moved = await page.evaluate(() => window.pixels.state.view);
    assert.ok(Math.abs(moved.offsetX - before.offsetX - 80) < 1 && Math.abs(moved.offsetY - before.offsetY - 40) < 1);
    assert.equal((await fetchCanvas(server.url)).seq, seqBefore, 'a pan paints nothing');
    await page.close();
  });

  it('on a phone-sized touch screen a tap paints and the controls fit the screen', async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    try {
      const page = await openApp(phone.context, server.url);
      const p = await pixelCentre(page, 12, 12);
      await page.touchscreen.tap(p.x, p.y);
      await waitForColor(page, 12, 12, '#000000');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      for (const sel of ['#zoom-in', '#zoom-fit', '[data-tool="eraser"]', '#status']) {
        const box = await page.locator(sel).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${sel} is on screen`);
      }
      assert.equal(await renderedColor(page, 13, 12), palette[0].toUpperCase());

      await screenshot(page, 'phone');

      // Two fingers spreading apart zoom in around their midpoint and paint nothing.
      const seqBefore = (await fetchCanvas(server.url)).seq;
      const scaleBefore = await page.evaluate(() => window.pixels.state.view.scale);
      const cdp = await phone.context.newCDPSession(page);
      const mid = await pixelCentre(page, 20, 20);
      const touch = (type, d) =>
        cdp.send('Input.dispatchTouchEvent', {
          type,
          touchPoints: type === 'touchEnd' ? [] : [{ x: mid.x - d, y: mid.y, id: 1 }, { x: mid.x + d, y: mid.y, id: 2 }],
        });
      await touch('touchStart', 20);
      for (let d = 30; d <= 80; d += 10) await touch('touchMove', d);
      await touch('touchEnd', 0);
      const scaleAfter = await page.evaluate(() => window.pixels.state.view.scale);
      assert.ok(scaleAfter > scaleBefore * 3, `pinch zoomed from ${scaleBefore} to ${scaleAfter}`);
      const under = await page.evaluate(([sx, sy]) => {
        const { view } = window.pixels.state;
        const r = document.querySelector('#board-viewport').getBoundingClientRect();
        return { x: Math.floor((sx - r.left - view.offsetX) / view.scale), y: Math.floor((sy - r.top - view.offsetY) / view.scale) };
      }, [mid.x, mid.y]);
      assert.deepEqual(under, { x: 20, y: 20 });
      assert.equal((await fetchCanvas(server.url)).seq, seqBefore, 'a pinch paints nothing');
      await page.close();
    } finally {
      await phone.close();
    }
  });
});
