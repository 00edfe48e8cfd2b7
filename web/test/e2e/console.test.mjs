import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openFixture, closeFixture } from './fixture.mjs';
import { ADMIN_TOKEN, fetchCanvas, startServer, fetchPalette } from './server.mjs';
import { launch } from './browser.mjs';
import { openApp, pixelCentre, waitForColor, paintRaw, clickPixel, screenshot } from './page.mjs';

const W = 64, H = 40;

/** Requests to paths only the admin token may call, or carrying any Authorization header. */
async function adminRequests(requests) {
  const out = [];
  for (const req of requests) {
    const u = new URL(req.url());
    const headers = await req.allHeaders();
    if (u.pathname === '/audit' || u.pathname.startsWith('/admin/') || u.searchParams.has('at')
      || (u.pathname.startsWith('/locks') && req.method() !== 'GET') || 'authorization' in headers) out.push({ req, headers });
  }
  return out;
}

async function signIn(page) {
  await page.click('#mod-toggle');
  await page.fill('#mod-token', ADMIN_TOKEN);
  await page.click('#mod-signin');
  await page.waitForSelector('#mod-tab-locks');
}

async function drag(page, from, to) {
  const a = await pixelCentre(page, from.x, from.y);
  const b = await pixelCentre(page, to.x, to.y);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 3 });
  await page.mouse.up();
}

async function session(page, url) {
  return page.evaluate(async (url) => (await fetch(url + '/session', { method: 'POST' })).json(), url);
}

async function confirmDialog(page) {
  await page.waitForSelector('#mod-dialog[open]');
  await page.click('#mod-confirm-ok');
}

function block(x1, y1, x2, y2, color) {
  const out = [];
  for (let y = y1; y <= y2; y++) for (let x = x1; x <= x2; x++) out.push({ x, y, color });
  return out;
}

function allAcked(answers) {
  assert.ok(answers.every((a) => a.type === 'pixel:ack'), JSON.stringify(answers.find((a) => a.type !== 'pixel:ack')));
}

describe('moderator console', () => {
  let server, browser, palette, red, black, blue, green;

  before(async () => {
    ({ server, browser, palette } = await openFixture(W, H));
    const pick = (hex, i) => palette.find((c) => c.toUpperCase() === hex) ?? palette[i];
    [red, black, blue, green] = [pick('#FF0000', 7), pick('#000000', 4), pick('#0000EA', 15), pick('#02BE01', 12)];
    assert.equal(new Set([palette[0], red, black, blue, green]).size, 5, 'five different colours');
  });
  after(() => closeFixture({ server, browser }));

  it('without the token no admin request leaves the page, and a wrong token is refused in words', async () => {
    const requests = [];
    const page = await openApp(browser.context, server.url, { beforeGoto: (p) => p.on('request', (r) => requests.push(r)) });
    await page.click('#mod-toggle');
    await page.waitForSelector('#mod-token');
    // What the pixel card will do: open a user before anyone signed in.
    await page.evaluate(() => window.pixels.console.openUser('user-someone'));
    await page.evaluate(() => fetch('/health'));
    assert.ok(requests.some((r) => new URL(r.url()).pathname === '/health'), 'the request log is live');
    assert.deepEqual((await adminRequests(requests)).map(({ req }) => req.url()), []);
    assert.equal(await page.$('#mod-tab-locks'), null, 'no admin-only part is rendered');
    assert.equal(await page.$('#mod-user-id'), null);

    await page.fill('#mod-token', 'not-the-admin-token');
    await page.click('#mod-signin');
    await page.waitForFunction(() => /refused/.test(document.querySelector('#mod-signin-error').textContent));
    assert.equal(await page.$('#mod-tab-locks'), null);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pixels.adminToken')), null);
    await page.close();
  });

  it('a moderator locks a region by dragging and a second page is refused with locked_region inside it', async () => {
    const requests = [];
    const other = await openApp(browser.context, server.url);
    const mod = await openApp(browser.context, server.url, { beforeGoto: (p) => p.on('request', (r) => requests.push(r)) });
    await signIn(mod);
    await mod.click('#mod-select');
    await drag(mod, { x: 5, y: 5 }, { x: 12, y: 9 });
    await mod.waitForFunction(() => document.querySelector('#mod-selection').textContent.startsWith('(5, 5)–(12, 9)'));
    await mod.fill('#mod-lock-reason', 'community logo');
    await mod.click('#mod-lock-create');
    await mod.waitForFunction(() => /^Locked \(5, 5\)–\(12, 9\)/.test(document.querySelector('#mod-result').textContent));

    // A background tab's animation frames are throttled, and Playwright waits on them.
    await other.bringToFront();
    await other.waitForFunction(() => window.pixels.client.locks.find(8, 7) !== null);
    const reject = other.evaluate(() => new Promise((resolve) => window.pixels.client.on('reject', (r) => resolve(r.reason))));
    await clickPixel(other, 8, 7);
    assert.equal(await reject, 'locked_region');
    const [raw] = await paintRaw(other, server.url, [{ x: 12, y: 9, color: red }]);
    assert.equal(raw.data.reason, 'locked_region');
    const [outside] = await paintRaw(other, server.url, [{ x: 13, y: 9, color: red }]);
    assert.equal(outside.type, 'pixel:ack');

    const admin = await adminRequests(requests);
    assert.ok(admin.length >= 2, 'sign-in and the lock');
    for (const { req, headers } of admin) {
      assert.equal(headers.authorization, `Bearer ${ADMIN_TOKEN}`);
      assert.ok(!req.url().includes(ADMIN_TOKEN), req.url());
    }

    // Clicking the lock offers its removal, and removing it asks first.
    await mod.bringToFront();
    await mod.click('#mod-lock-pick');
    await clickPixel(mod, 6, 6);
    await confirmDialog(mod);
    await mod.waitForFunction(() => /^Removed the lock/.test(document.querySelector('#mod-result').textContent));
    await other.bringToFront();
    await other.waitForFunction(() => window.pixels.client.locks.find(8, 7) === null);
    await mod.close();
    await other.close();
  });

  it('the live view shows what other moderators do as they do it', async () => {
    const mod = await openApp(browser.context, server.url);
    await signIn(mod);
    await mod.click('#mod-tab-live');
    const other = (method, path, body) => fetch(server.url + path, {
      method, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal((await other('POST', '/locks', { x1: 40, y1: 30, x2: 44, y2: 33, reason: 'from elsewhere' })).status, 201);
    const ban = await other('POST', '/admin/bans', { userId: 'user-live-test', reason: 'griefing' });
    assert.equal(ban.status, 201);
    await mod.waitForFunction(() => /admin locked \(40, 30\)–\(44, 33\).*from elsewhere/.test(document.querySelector('#mod-live [data-source="socket"]')?.textContent ?? ''));
    await mod.waitForFunction(() => /admin banned user-live-test/.test(document.querySelector('#mod-live').textContent));
    assert.equal((await other('DELETE', '/locks/40/30/44/33')).status, 204);
    assert.equal((await other('DELETE', `/admin/bans/${(await ban.json()).id}`)).status, 204);
    await mod.close();
  });

  it('a griefer is rolled back after a preview, on both pages, and later work by others stays', async () => {
    const seeder = await browser.context.newPage();
    await seeder.goto(server.url + '/health');
    const artist = await session(seeder, server.url);
    const griefer = await session(seeder, server.url);
    const art = block(20, 10, 25, 14, red); // 30 pixels
    allAcked(await paintRaw(seeder, server.url, art, { token: artist.token }));
    allAcked(await paintRaw(seeder, server.url, block(20, 10, 25, 14, black), { token: griefer.token }));
    const later = [{ x: 20, y: 10, color: blue }, { x: 25, y: 14, color: blue }];
    allAcked(await paintRaw(seeder, server.url, later, { token: artist.token }));

    const watcher = await openApp(browser.context, server.url);
    const mod = await openApp(browser.context, server.url);
    await signIn(mod);
    // From the griefer's pixel's card, one click opens the griefer in the console.
    await mod.click('#info-toggle');
    await clickPixel(mod, 22, 12);
    await mod.waitForSelector('#pixel-card .inspect-user');
    await mod.click('#pixel-card .inspect-user');
    await mod.waitForFunction((id) => document.querySelector('#mod-user-id')?.value === id, griefer.userId);
    await mod.click('#info-toggle');
    await mod.waitForFunction(() => /^30 recent pixels/.test(document.querySelector('#mod-user-count')?.textContent ?? ''));
    await mod.click('#mod-rollback-preview');
    await mod.waitForFunction(() => /^28 pixels would change/.test(document.querySelector('#mod-rollback-preview-text')?.textContent ?? ''));
    assert.equal((await mod.evaluate(() => window.pixels.console.overlay.preview.length)), 28);
    assert.equal((await mod.evaluate(() => window.pixels.console.overlay.highlights.length)), 30);
    await screenshot(mod, 'moderator-console-rollback');
    const untouched = await fetchCanvas(server.url);
    assert.equal(untouched.bytes[11 * W + 21], palette.indexOf(black), 'the preview changed nothing');

    await mod.click('#mod-rollback-confirm');
    await confirmDialog(mod);
    await mod.waitForFunction(() => /^Rolled back 28 pixels/.test(document.querySelector('#mod-result').textContent));
    for (const page of [mod, watcher]) {
      await page.bringToFront();
      for (const p of art.filter((p) => !later.some((l) => l.x === p.x && l.y === p.y))) await waitForColor(page, p.x, p.y, red);
      for (const p of later) await waitForColor(page, p.x, p.y, blue);
    }
    const canvas = await fetchCanvas(server.url);
    assert.equal(canvas.bytes[10 * W + 20], palette.indexOf(blue), 'later work by others stays');
    assert.equal(canvas.bytes[12 * W + 22], palette.indexOf(red));
    await seeder.close();
    await watcher.close();
    await mod.close();
  });

  it('a region is rewound after a preview of how it was, and a screenshot of the console is saved', async () => {
    const seeder = await browser.context.newPage();
    await seeder.goto(server.url + '/health');
    allAcked(await paintRaw(seeder, server.url, block(30, 20, 35, 23, green)));
    const to = new Date().toISOString();
    // The server stamps pixels with its own clock; the next pixels must come strictly after `to`.
    await seeder.waitForFunction((to) => Date.now() > Date.parse(to) + 5, to);
    allAcked(await paintRaw(seeder, server.url, block(31, 21, 34, 23, black)));

    const mod = await openApp(browser.context, server.url);
    await signIn(mod);
    await mod.click('#mod-tab-rewind');
    await mod.click('#mod-select');
    await drag(mod, { x: 30, y: 20 }, { x: 35, y: 23 });
    await mod.fill('#mod-rewind-to', to);
    await mod.click('#mod-rewind-preview');
    await mod.waitForFunction(() => /^12 pixels would change/.test(document.querySelector('#mod-rewind-preview-text')?.textContent ?? ''));
    assert.equal((await fetchCanvas(server.url)).bytes[21 * W + 31], palette.indexOf(black), 'the preview changed nothing');
    const file = await screenshot(mod, 'moderator-console');
    assert.ok(fs.statSync(file).size > 0);

    await mod.click('#mod-rewind-confirm');
    await confirmDialog(mod);
    await mod.waitForFunction(() => /^Rewound \(30, 20\)–\(35, 23\).*: 12 pixels changed/.test(document.querySelector('#mod-result').textContent));
    await waitForColor(mod, 31, 21, green);
    await waitForColor(mod, 34, 23, green);
    const canvas = await fetchCanvas(server.url);
    assert.equal(canvas.bytes[23 * W + 34], palette.indexOf(green));

    // A rectangle can be typed as well as dragged.
    await mod.fill('#mod-rect', '1,2,3,4');
    await mod.press('#mod-rect', 'Enter');
    await mod.waitForFunction(() => document.querySelector('#mod-selection').textContent.startsWith('(1, 2)–(3, 4)'));

    // The audit view finds the rewind, and clicking the entry pans to it.
    await mod.click('#mod-tab-audit');
    await mod.selectOption('#mod-audit-type', 'moderation');
    await mod.click('#mod-audit-search');
    await mod.waitForSelector('#mod-audit-list .mod-entry');
    const before = await mod.evaluate(() => ({ ...window.pixels.state.view }));
    await mod.click('#mod-audit-list .mod-entry >> text=/rewound/');
    await mod.waitForFunction((b) => window.pixels.state.view.offsetX !== b.offsetX || window.pixels.state.view.offsetY !== b.offsetY, before);
    await seeder.close();
    await mod.close();
    assert.ok(path.basename(file) === 'moderator-console.png');
  });
});

/**
 * Runs scripted painters from `page`: each takes a session, solves a proof of
 * work, opens its own WebSocket and sends its pixels at the given offsets
 * (ms from its canvas:state, every timer set at once so none drifts).
 * Returns {userId, token, answers} per painter.
 */
async function paintOnSchedule(page, url, painters) {
  return page.evaluate(async ([url, painters]) => {
    const { solveChallenge, payloadOf } = await import('/app/lib/pow.js');
    const one = async ({ pixels, offsets }) => {
      const s = await (await fetch('/session', { method: 'POST' })).json();
      const challenge = await (await fetch('/pow/challenge')).json();
      const solved = await fetch('/pow/solution', {
        method: 'POST', headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ payload: payloadOf(challenge, solveChallenge(challenge)) }),
      });
      if (!solved.ok) throw new Error(`solution refused: ${solved.status}`);
      const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws?token=' + encodeURIComponent(s.token));
      const answers = await new Promise((resolve, reject) => {
        const got = [];
        ws.onerror = () => reject(new Error('painter websocket failed'));
        ws.onmessage = (ev) => {
          const msg = JSON.parse(ev.data);
          if (msg.type === 'canvas:state') {
            pixels.forEach((p, i) => setTimeout(() => ws.send(JSON.stringify({ type: 'pixel:update', id: `p${i}`, data: { tool: 'brush', ...p } })), offsets[i]));
          } else if (msg.type === 'pixel:ack' || msg.type === 'pixel:reject') {
            got.push(msg.type);
            if (got.length === pixels.length) {
              ws.close();
              resolve(got);
            }
          }
        };
      });
      return { userId: s.userId, token: s.token, answers };
    };
    return Promise.all(painters.map(one));
  }, [url, painters]);
}

describe('suspicious sessions in the moderator console', () => {
  let server, browser, black;

  before(async () => {
    server = await startServer({
      CANVAS_WIDTH: '32', CANVAS_HEIGHT: '8', RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0', POW_DIFFICULTY: '1000',
    });
    browser = await launch();
    const palette = await fetchPalette(server.url);
    black = palette.find((c) => c.toUpperCase() === '#000000') ?? palette[1];
  });
  after(() => closeFixture({ server, browser }));

  it('a painter on a 100 ms timer is listed above a jittered one, and is made to solve a new proof of work after a confirmation', async () => {
    const requests = [];
    const mod = await openApp(browser.context, server.url, { beforeGoto: (p) => p.on('request', (r) => requests.push(r)) });
    const row = (y) => Array.from({ length: 12 }, (_, x) => ({ x, y, color: black }));
    // Intervals averaging 200 ms that vary by about 75%, as a person's would.
    const jitter = [60, 420, 150, 35, 300, 90, 510, 200, 45, 260, 130];
    const at = (intervals) => intervals.reduce((out, d) => [...out, out[out.length - 1] + d], [0]);
    const [regular, jittered] = await paintOnSchedule(mod, server.url, [
      { pixels: row(1), offsets: at(Array(11).fill(100)) },
      { pixels: row(3), offsets: at(jitter) },
    ]);
    assert.deepEqual([...regular.answers, ...jittered.answers], Array(24).fill('pixel:ack'));
    assert.deepEqual(requests.filter((r) => new URL(r.url()).pathname.startsWith('/admin/')).map((r) => r.url()), [], 'nothing before sign-in');

    await signIn(mod);
    await mod.click('#mod-tab-suspects');
    await mod.waitForFunction(() => document.querySelectorAll('#mod-suspects > li').length === 2);
    const rows = await mod.$$eval('#mod-suspects > li', (lis) => lis.map((li) => ({ user: li.dataset.user, text: li.textContent })));
    assert.deepEqual(rows.map((r) => r.user), [regular.userId, jittered.userId], JSON.stringify(rows));
    assert.match(rows[0].text, /score \d\.\d\d of 6/);
    assert.match(rows[0].text, /(Near-constant|Fairly regular) rhythm: one pixel every \d+ ms/);
    assert.match(rows[1].text, /Irregular rhythm, like a person/);
    assert.match(rows[0].text, /Painted with a session token\./);

    await mod.click('#mod-suspects > li:first-child .mod-suspect-requireProofOfWork');
    await confirmDialog(mod);
    await mod.waitForFunction((id) => document.querySelector('#mod-result').textContent === `${id} must solve a new proof of work before their next pixel.`, regular.userId);
    const [after] = await paintRaw(mod, server.url, [{ x: 20, y: 1, color: black }], { token: regular.token });
    assert.equal(after.data.reason, 'pow_required');
    await screenshot(mod, 'moderator-console-suspects');

    await mod.click('#mod-suspects > li:first-child .mod-suspect-inspect');
    await mod.waitForFunction((id) => document.querySelector('#mod-user-count')?.textContent === `12 recent pixels of ${id}, outlined on the canvas.`, regular.userId);
    await mod.close();
  });
});
