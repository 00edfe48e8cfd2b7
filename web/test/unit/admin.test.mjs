import test from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminApi, TOKEN_KEY, rectBetween, parseRect, expiryFrom, parseTime, auditQuery, entryTarget, describeEntry, describeEvent, adminErrorText,
} from '../../../server/src/main/resources/web/lib/admin.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k), map: m };
}

function fakeFetch(answers) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, ...init });
    const a = answers.shift() ?? { status: 200, body: {} };
    return {
      ok: a.status >= 200 && a.status < 300,
      status: a.status,
      headers: { get: (h) => (a.headers ?? {})[h] ?? null },
      text: async () => (a.body === undefined ? '' : JSON.stringify(a.body)),
    };
  };
  fn.calls = calls;
  return fn;
}

test('nothing is requested before sign-in, and the token then travels only as a bearer header', async () => {
  const storage = memoryStorage();
  const fetch = fakeFetch([{ status: 200, body: { bans: [] } }, { status: 200, body: { entries: [], next: null } }]);
  const api = new AdminApi({ base: 'http://h', fetch, storage });
  await assert.rejects(api.audit({}), /Sign in/);
  assert.equal(fetch.calls.length, 0);
  await api.signIn('  secret-token\n');
  assert.equal(storage.getItem(TOKEN_KEY), 'secret-token');
  await api.userPixels('user-1');
  for (const call of fetch.calls) {
    assert.equal(call.headers.Authorization, 'Bearer secret-token');
    assert.ok(!call.url.includes('secret-token'), call.url);
  }
  assert.equal(fetch.calls[1].url, 'http://h/audit?userId=user-1&limit=1000');
});

test('a wrong token is not kept and is explained in words', async () => {
  const storage = memoryStorage();
  const api = new AdminApi({ fetch: fakeFetch([{ status: 403, body: { error: 'forbidden', message: 'x' } }]), storage });
  await assert.rejects(api.signIn('wrong'), (e) => e.status === 403 && /refused/.test(e.message));
  assert.equal(api.signedIn, false);
  assert.equal(storage.getItem(TOKEN_KEY), null);
  await assert.rejects(new AdminApi({ storage }).signIn('   '), /Paste/);
});

test('a token the server stops accepting signs the moderator out', async () => {
  const storage = memoryStorage();
  storage.setItem(TOKEN_KEY, 'old');
  const api = new AdminApi({ fetch: fakeFetch([{ status: 403, body: { error: 'forbidden' } }]), storage });
  assert.equal(api.signedIn, true);
  await assert.rejects(api.bans());
  assert.equal(api.signedIn, false);
  assert.equal(storage.getItem(TOKEN_KEY), null);
});

test('refusals read as sentences, with the wait of a 429', () => {
  assert.match(adminErrorText(429, { error: 'too_many_requests' }, '12'), /Try again in 12 s/);
  assert.match(adminErrorText(429, { error: 'too_many_repairs' }, '5'), /repairs/);
  assert.match(adminErrorText(400, { message: 'since is required' }), /since is required/);
});

test('a dragged rectangle is ordered and clamped to the canvas', () => {
  assert.deepEqual(rectBetween({ x: 10.7, y: 5 }, { x: 2, y: -3 }, 20, 10), { x1: 2, y1: 0, x2: 10, y2: 5 });
  assert.deepEqual(rectBetween({ x: 25, y: 12 }, { x: 19, y: 9 }, 20, 10), { x1: 19, y1: 9, x2: 19, y2: 9 });
  assert.deepEqual(parseRect('1, 2 3,4'), { x1: 1, y1: 2, x2: 3, y2: 4 });
  assert.equal(parseRect('4,2,3,4'), null);
  assert.equal(parseRect('1,2,3'), null);
});

test('expiries and typed times become ISO-8601 with an offset', () => {
  assert.equal(expiryFrom('1h', Date.parse('2030-01-01T00:00:00Z')), '2030-01-01T01:00:00.000Z');
  assert.equal(expiryFrom('never'), null);
  assert.equal(parseTime('2030-01-01T00:00:00+01:00'), '2029-12-31T23:00:00.000Z');
  assert.equal(parseTime(''), null);
  assert.equal(parseTime('yesterday-ish'), null);
  assert.ok(parseTime('2030-01-01 10:00'));
});

test('audit filters become the documented query, moderation entries by type and cursor only', () => {
  assert.equal(auditQuery({ userId: 'u', region: { x1: 1, y1: 2, x2: 3, y2: 4 }, since: 'S', before: 9, limit: 50 }),
    'userId=u&x1=1&y1=2&x2=3&y2=4&since=S&before=9&limit=50');
  assert.equal(auditQuery({ type: 'moderation', userId: 'u', before: 3 }), 'type=moderation&before=3');
});

test('entries and events are described in one line and know where they happened', () => {
  const pixel = { action: 'pixel', seq: 5, x: 3, y: 4, color: '#000000', previousColor: '#FFFFFF', userId: 'user-1', tool: 'brush' };
  assert.equal(describeEntry(pixel), 'user-1 painted (3, 4) #000000 over #FFFFFF');
  assert.deepEqual(entryTarget(pixel), { x: 3, y: 4 });
  const rewind = { action: 'rewind', admin: 'admin', params: { x1: 0, y1: 0, x2: 4, y2: 2, to: 'T', pixelsChanged: 7 } };
  assert.match(describeEntry(rewind), /rewound \(0, 0\)–\(4, 2\), 5×3 to T: 7 pixels/);
  assert.deepEqual(entryTarget(rewind), { x: 2, y: 1 });
  const rollback = { action: 'rollback', admin: 'admin', params: { userId: 'u', since: 'S', region: { x1: 2, y1: 2, x2: 2, y2: 2 }, pixelsChanged: 1 } };
  assert.deepEqual(entryTarget(rollback), { x: 2, y: 2 });
  assert.equal(entryTarget({ action: 'ban', params: { userId: 'u' } }), null);
  assert.match(describeEvent({ type: 'moderation:lock', data: { x1: 1, y1: 1, x2: 2, y2: 2, createdBy: 'admin', reason: 'art' } }), /admin locked .* — art/);
  assert.deepEqual(entryTarget({ type: 'moderation:unlock', data: { x1: 0, y1: 0, x2: 2, y2: 2 } }), { x: 1, y: 1 });
});

test('storage that throws on access is treated as missing', async () => {
  const { usableStorage } = await import('../../../server/src/main/resources/web/lib/storage.js');
  const ok = memoryStorage();
  assert.equal(usableStorage(() => ok), ok);
  assert.equal(usableStorage(() => { throw new Error('SecurityError'); }), null);
  assert.equal(usableStorage(() => ({ getItem() { throw new Error('denied'); } })), null);
});

test('the suspects list is asked for only once signed in, with the token as a bearer header', async () => {
  const fetch = fakeFetch([{ status: 200, body: { bans: [] } }, { status: 200, body: { suspects: [], untracked: 0 } }]);
  const api = new AdminApi({ base: 'http://canvas', fetch, storage: memoryStorage() });
  await assert.rejects(api.suspects(50), (e) => e.code === 'signed_out');
  assert.equal(fetch.calls.length, 0);
  await api.signIn('t0ken');
  assert.deepEqual(await api.suspects(50), { suspects: [], untracked: 0 });
  assert.equal(fetch.calls[1].url, 'http://canvas/admin/suspects?limit=50');
  assert.equal(fetch.calls[1].method, 'GET');
  assert.equal(fetch.calls[1].headers.Authorization, 'Bearer t0ken');
});
