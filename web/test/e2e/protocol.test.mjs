import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './browser.mjs';
import { startServer, fetchPalette, fetchCanvas, ARTIFACTS } from './server.mjs';
import { openApp, waitForColor, paintRaw, refuseBinary } from './page.mjs';

// The default canvas size, so the first load moves what a real first visit moves.
const PREFILL = 20_000;
const LOADS = 3;

/**
 * Keeps painting one pixel every 20 ms over a raw socket of `page`, so that a
 * freshly loaded page gets its first bulk update as soon as its socket is live.
 * Returns a function that stops it.
 */
async function keepPainting(page, url, color) {
  const wsUrl = url.replace(/^http/, 'ws') + '/ws';
  await page.evaluate(
    ([wsUrl, color]) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(wsUrl);
        let n = 0;
        ws.onopen = () => {
          window.painter = setInterval(() => {
            ws.send(JSON.stringify({ type: 'pixel:update', id: `k${n++}`, data: { x: 0, y: 0, tool: 'brush', color } }));
          }, 20);
          window.painterSocket = ws;
          resolve();
        };
        ws.onerror = () => reject(new Error('painter socket failed'));
      }),
    [wsUrl, color],
  );
  return () => page.evaluate(() => {
    clearInterval(window.painter);
    window.painterSocket.close();
  });
}

/**
 * Opens the app in a fresh browser (cold cache) and returns the milliseconds
 * from navigation start until the canvas is drawn (a prefilled pixel shows
 * its colour on the <canvas>) and the first bulk update has been applied.
 */
async function firstLoadMs(url, probe, { refuse } = {}) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    if (refuse) await refuseBinary(page, refuse);
    await page.goto(url + '/app/index.html');
    const handle = await page.waitForFunction(
      ([x, y, hex]) => {
        const client = window.pixels?.client;
        if (!client || client.stats.batches < 1) return false;
        const board = document.querySelector('#board');
        if (!board || board.width === 0) return false;
        const d = board.getContext('2d').getImageData(x, y, 1, 1).data;
        const got = '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0').toUpperCase()).join('');
        return got === hex && { ms: performance.now(), protocol: client.protocol };
      },
      [probe.x, probe.y, probe.color.toUpperCase()],
      { polling: 'raf', timeout: 15_000 },
    );
    return await handle.jsonValue();
  } finally {
    await browser.close();
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

describe('binary bulk updates and the first load', () => {
  let server, browser, palette, probe, stopPainting, seeder;

  before(async () => {
    server = await startServer({
      RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_IP_PER_SECOND: '0', RATE_LIMIT_IP_BURST: '0',
      WS_MAX_MESSAGES_PER_SECOND: '0',
    });
    browser = await launch();
    palette = await fetchPalette(server.url);
    const { width, height } = await fetchCanvas(server.url);
    // 20,000 random pixels (a fixed seed, so every run loads the same picture), never at 0,0,
    // where the live painter paints.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pixels = [];
    for (let i = 0; i < PREFILL; i++) {
      const x = 1 + Math.floor(random() * (width - 1));
      const y = Math.floor(random() * height);
      pixels.push({ x, y, color: palette[1 + Math.floor(random() * (palette.length - 1))] });
    }
    seeder = await browser.context.newPage();
    await seeder.goto(server.url + '/health');
    const answers = await paintRaw(seeder, server.url, pixels);
    assert.ok(answers.every((a) => a.type === 'pixel:ack'));
    // The last paint of a position is what it shows.
    const last = pixels.at(-1);
    probe = pixels.findLast((p) => p.x === last.x && p.y === last.y);
    stopPainting = await keepPainting(seeder, server.url, palette[2]);
  });

  after(async () => {
    await stopPainting?.().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it('the page speaks pixels.v1.bin by default and shows what another client paints', async () => {
    const page = await openApp(browser.context, server.url);
    if (process.env.PIXELS_E2E_PROTOCOL !== 'json') {
      assert.equal(await page.evaluate(() => window.pixels.client.protocol), 'pixels.v1.bin');
    }
    const batches = await page.evaluate(() => window.pixels.client.stats.batches);
    await paintRaw(seeder, server.url, [{ x: 3, y: 4, color: palette[3] }]);
    await waitForColor(page, 3, 4, palette[3]);
    assert.ok((await page.evaluate(() => window.pixels.client.stats.batches)) > batches);
    assert.equal(await page.evaluate(() => window.pixels.client.stats.hashMismatches), 0);
    await page.close();
  });

  for (const refuse of ['ignore', 'fail']) {
    it(`a server that ${refuse === 'ignore' ? 'picks no subprotocol' : 'fails a handshake offering it'} gets JSON and the page works the same`, async () => {
      const page = await openApp(browser.context, server.url, { beforeGoto: (p) => refuseBinary(p, refuse) });
      assert.equal(await page.evaluate(() => window.pixels.client.protocol), '');
      await paintRaw(seeder, server.url, [{ x: 5, y: 6, color: palette[4] }]);
      await waitForColor(page, 5, 6, palette[4]);
      await page.waitForFunction(() => window.pixels.client.stats.hashChecks > 0);
      assert.equal(await page.evaluate(() => window.pixels.client.stats.hashMismatches), 0);
      await page.close();
    });
  }

  it(`a first load of a canvas with ${PREFILL.toLocaleString('en')} random pixels is drawn and live within the PRD's 2 s`, async () => {
    const results = {};
    for (const [name, refuse] of [['binary', undefined], ['json', 'ignore']]) {
      const runs = [];
      for (let i = 0; i < LOADS; i++) runs.push(await firstLoadMs(server.url, probe, { refuse }));
      assert.ok(runs.every((r) => r.protocol === (refuse ? '' : 'pixels.v1.bin')), JSON.stringify(runs));
      results[name] = { ms: runs.map((r) => Math.round(r.ms)), median: Math.round(median(runs.map((r) => r.ms))) };
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'first-load.json'), JSON.stringify({ prefill: PREFILL, ...results }, null, 2));
    console.log(`first load (navigation → canvas drawn and first bulk update applied), ms: ${JSON.stringify(results)}`);
    // The PRD's bound; docs/benchmarks.md records the figure against the 1 s target.
    assert.ok(results.binary.median < 2000, JSON.stringify(results));
    assert.ok(results.json.median < 2000, JSON.stringify(results));
  });
});
