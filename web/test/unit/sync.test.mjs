import test from 'node:test';
import assert from 'node:assert/strict';
import { CanvasClient } from '../../../server/src/main/resources/web/lib/sync.js';
import { FakeClock, FakeServer, flush, until } from './fakes.mjs';

async function setup(serverOpts = {}, clientOpts = {}) {
  const clock = new FakeClock();
  const server = new FakeServer(serverOpts);
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v), removeItem: (k) => store.delete(k) };
  const client = new CanvasClient({
    httpBase: 'http://pixels.test',
    wsBase: 'ws://pixels.test',
    fetch: server.fetch,
    WebSocket: server.WebSocket,
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    storage,
    random: () => 1,
    ...clientOpts,
  });
  const events = [];
  for (const name of ['pixels', 'reject', 'ack', 'resync', 'status', 'verified', 'reverted', 'canvas']) {
    client.on(name, (e) => events.push({ name, e }));
  }
  return { clock, server, client, events, storage };
}

async function started(serverOpts, clientOpts) {
  const ctx = await setup(serverOpts, clientOpts);
  await ctx.client.start();
  await flush();
  ctx.server.socket.deliver(ctx.server.state());
  await flush();
  return ctx;
}

test('start loads the palette and canvas, then opens the socket with sinceSeq from X-Canvas-Seq', async () => {
  const { server, client } = await setup();
  server.paint(1, 1, 2);
  server.paint(2, 1, 1);
  await client.start();
  assert.equal(client.seq, 2);
  assert.equal(client.bitmap.get(1, 1), 2);
  assert.equal(server.socket.params.get('sinceSeq'), '2');
  assert.equal(server.socket.params.get('token'), null, 'no session endpoint means no token');
  await flush();
  server.socket.deliver(server.state());
  assert.equal(client.status, 'connected');
  assert.equal(client.userId, 'u-1');
});

test('a session token from POST /session is passed on the socket and reused from storage', async () => {
  const { server, client, storage } = await setup({ session: { userId: 'u9', token: 'tok.abc', expiresAt: '2999-01-01T00:00:00Z' } });
  await client.start();
  assert.equal(server.socket.params.get('token'), 'tok.abc');
  assert.match(storage.getItem('pixels.session'), /tok\.abc/);
});

test('a bulk update is applied in order and advances the seq', async () => {
  const { server, client, events } = await started();
  const a = server.paint(0, 0, 1);
  const b = server.paint(0, 0, 2);
  server.socket.deliver(server.batch([a, b], 1));
  assert.equal(client.seq, 2);
  assert.equal(client.bitmap.get(0, 0), 2);
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
  assert.ok(events.some((e) => e.name === 'pixels' && e.e.length === 2));
});

test('a duplicate batch is ignored and an overlapping one is trimmed', async () => {
  const { server, client } = await started();
  const p1 = server.paint(0, 0, 1);
  server.socket.deliver(server.batch([p1], 1));
  server.socket.deliver(server.batch([p1], 1));
  const p2 = server.paint(1, 0, 2);
  server.socket.deliver(server.batch([p1, p2], 1, 2));
  assert.equal(client.seq, 2);
  assert.equal(client.stats.resyncs, 0);
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
});

test('a seq gap refetches the canvas and replays the batches that arrived meanwhile', async () => {
  const { server, client, events } = await started();
  server.paint(0, 0, 1); // seq 1, never delivered
  const p2 = server.paint(1, 0, 2);
  server.socket.deliver(server.batch([p2], 2));
  assert.ok(events.some((e) => e.name === 'resync' && /gap/.test(e.e.reason)));
  // A batch that lands while /canvas is in flight must not be lost.
  const p3 = server.paint(2, 0, 1);
  const batch3 = server.batch([p3], 3);
  server.socket.deliver(batch3);
  await flush();
  assert.equal(client.seq, 3);
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
  assert.equal(server.requests.filter((r) => r.path === '/canvas').length, 2);
});

test('a hash mismatch after a batch triggers a canvas refetch', async () => {
  const { server, client, events, clock } = await started();
  await until(() => events.some((e) => e.name === 'verified'));
  await clock.advance(5000); // past the check made on connect
  const p = server.paint(3, 2, 1);
  server.socket.deliver(server.batch([p], 1, 1, 'f'.repeat(64)));
  await until(() => client.stats.resyncs === 1 && client.bitmap.get(3, 2) === 1);
  assert.ok(events.some((e) => e.name === 'verified' && e.e.ok === false));
  assert.ok(events.some((e) => e.name === 'resync' && /hash mismatch/.test(e.e.reason)));
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
});

test('a matching hash is verified without refetching', async () => {
  const { server, client, events, clock } = await started();
  await until(() => events.some((e) => e.name === 'verified'));
  await clock.advance(5000);
  const p = server.paint(3, 2, 1);
  server.socket.deliver(server.batch([p], 1));
  await until(() => events.filter((e) => e.name === 'verified').length === 2);
  assert.deepEqual(events.filter((e) => e.name === 'verified').map((e) => e.e), [{ seq: 0, ok: true }, { seq: 1, ok: true }]);
  assert.equal(client.stats.resyncs, 0);
});

test('canvas:state with resync:true refetches the canvas', async () => {
  const { server, client, events } = await setup();
  await client.start();
  await flush();
  server.paint(0, 1, 2);
  server.socket.deliver(server.state({ resync: true }));
  await flush();
  assert.ok(events.some((e) => e.name === 'resync'));
  assert.equal(client.bitmap.get(0, 1), 2);
  assert.equal(client.seq, 1);
});

test('a rate-limited /canvas refetch waits for Retry-After and tries again', async () => {
  const { server, client, clock } = await started();
  server.canvasStatus.push({ status: 429, headers: { 'Retry-After': '3' } });
  server.paint(0, 0, 1);
  client.resync('test');
  await clock.advance(2999);
  assert.equal(client.seq, 0);
  await clock.advance(1);
  assert.equal(client.seq, 1);
});

test('a painted pixel shows at once, and a reject reverts it and reports the reason', async () => {
  const { server, client, events } = await started();
  const r = client.paint(2, 2, 'brush', '#ff0000');
  assert.ok(r.ok);
  assert.equal(client.displayIndex(2, 2), 2);
  assert.deepEqual(server.socket.sent.at(-1), { type: 'pixel:update', id: r.id, data: { x: 2, y: 2, tool: 'brush', color: '#FF0000' } });
  server.socket.deliver({ type: 'pixel:reject', data: { id: r.id, x: 2, y: 2, reason: 'locked_region', message: 'locked' } });
  assert.equal(client.displayIndex(2, 2), 0);
  const rej = events.find((e) => e.name === 'reject').e;
  assert.equal(rej.reason, 'locked_region');
});

test('an acked pixel stays painted until its batch confirms it', async () => {
  const { server, client } = await started();
  const r = client.paint(1, 2, 'brush', '#000000');
  const p = server.paint(1, 2, 1);
  server.socket.deliver({ type: 'pixel:ack', data: { id: r.id, x: 1, y: 2, color: '#000000', seq: 1 } });
  assert.equal(client.displayIndex(1, 2), 1);
  assert.equal(client.pending.size, 1);
  server.socket.deliver(server.batch([p], 1));
  assert.equal(client.pending.size, 0);
  assert.equal(client.displayIndex(1, 2), 1);
});

test('the eraser paints the background index and sends no colour', async () => {
  const { server, client } = await started();
  client.paint(0, 0, 'eraser', '#FF0000');
  assert.equal(client.displayIndex(0, 0), 0);
  assert.equal(server.socket.sent.at(-1).data.color, undefined);
  assert.equal(server.socket.sent.at(-1).data.tool, 'eraser');
});

test('after a rate_limited reject, paints are refused locally until retryAfterMs has passed', async () => {
  const { server, client, clock } = await started();
  const r = client.paint(0, 0, 'brush', '#000000');
  server.socket.deliver({ type: 'pixel:reject', data: { id: r.id, x: 0, y: 0, reason: 'rate_limited', message: 'slow', retryAfterMs: 1200 } });
  const sentBefore = server.socket.sent.length;
  const again = client.paint(1, 0, 'brush', '#000000');
  assert.deepEqual(again, { ok: false, reason: 'rate_limited', retryAfterMs: 1200 });
  assert.equal(server.socket.sent.length, sentBefore);
  await clock.advance(1200);
  assert.ok(client.paint(1, 0, 'brush', '#000000').ok);
});

test('painting while disconnected is refused instead of silently queued', async () => {
  const { server, client } = await started();
  server.socket.serverClose();
  assert.deepEqual(client.paint(0, 0, 'brush', '#000000'), { ok: false, reason: 'not_connected' });
});

test('a dropped socket reverts unanswered paints and reconnects with backoff and the current sinceSeq', async () => {
  const { server, client, clock, events } = await started();
  const p = server.paint(0, 0, 1);
  server.socket.deliver(server.batch([p], 1));
  client.paint(3, 0, 'brush', '#FF0000');
  const first = server.socket;
  first.serverClose();
  assert.equal(client.status, 'reconnecting');
  assert.equal(client.displayIndex(3, 0), 0);
  assert.ok(events.some((e) => e.name === 'reverted' && e.e.count === 1));
  await clock.advance(499);
  assert.equal(server.socket, first, 'waits for the backoff');
  await clock.advance(1);
  assert.notEqual(server.socket, first);
  assert.equal(server.socket.params.get('sinceSeq'), '1');
  // Catch-up after the reconnect.
  const q = server.paint(1, 1, 2);
  server.socket.deliver(server.state());
  server.socket.deliver(server.batch([q], 2));
  assert.equal(client.status, 'connected');
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
});

test('repeated failed connection attempts back off further and report offline', async () => {
  const { server, client, clock } = await started();
  server.refuseConnections = true;
  server.socket.serverClose();
  const delays = [];
  let last = clock.t;
  let count = server.sockets.length;
  while (delays.length < 5) {
    await clock.advance(100);
    if (server.sockets.length !== count) {
      count = server.sockets.length;
      delays.push(clock.t - last);
      last = clock.t;
    }
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000]);
  assert.equal(client.status, 'offline');
  server.refuseConnections = false;
  await clock.advance(15_000);
  server.socket.deliver(server.state());
  assert.equal(client.status, 'connected');
});

test('heartbeats measure the round trip, and a missing reply drops the connection', async () => {
  const { server, client, clock } = await started({}, { heartbeatMs: 1000, heartbeatTimeoutMs: 3000 });
  assert.deepEqual(server.socket.sent.at(-1), { type: 'heartbeat' });
  await clock.advance(42);
  server.socket.deliver({ type: 'heartbeat' });
  assert.equal(client.rttMs, 42);
  await clock.advance(1000);
  assert.deepEqual(server.socket.sent.at(-1), { type: 'heartbeat' });
  const silent = server.socket;
  await clock.advance(3000);
  assert.equal(client.status, 'reconnecting');
  assert.equal(silent.readyState, 3);
});

test('a drawn stroke is sent no faster than the estimated rate and skips pixels already that colour', async () => {
  const { server, client, clock } = await started({ width: 40, height: 1 });
  client.rate.setLimits({ perSecond: 10, burst: 5, perMinute: 0 });
  const pts = Array.from({ length: 12 }, (_, x) => ({ x, y: 0 }));
  const sentBefore = server.socket.sent.length;
  client.enqueue(pts, 'eraser');
  assert.equal(server.socket.sent.length - sentBefore, 0, 'all pixels are already background');
  client.enqueue(pts, 'brush', '#000000');
  assert.equal(server.socket.sent.length - sentBefore, 5);
  await clock.advance(500);
  assert.equal(server.socket.sent.length - sentBefore, 10);
  await clock.advance(200);
  assert.equal(server.socket.sent.length - sentBefore, 12);
  assert.equal(client.queue.length, 0);
});

test('moderation events add and remove locks', async () => {
  const { server, client } = await started();
  const lock = { x1: 0, y1: 0, x2: 1, y2: 1, reason: 'r', createdBy: 'admin', createdAt: '2030-01-01T00:00:00Z', expiresAt: null };
  server.socket.deliver({ type: 'moderation:lock', data: lock });
  assert.ok(client.locks.find(1, 1));
  server.socket.deliver({ type: 'moderation:unlock', data: lock });
  assert.equal(client.locks.find(1, 1), null);
});

test('every moderation event is passed on to listeners, known or not', async () => {
  const { server, client } = await started();
  const seen = [];
  client.on('moderation', (msg) => seen.push(msg.type));
  const lock = { x1: 0, y1: 0, x2: 1, y2: 1, reason: 'r', createdBy: 'admin', createdAt: '2030-01-01T00:00:00Z', expiresAt: null };
  server.socket.deliver({ type: 'moderation:lock', data: lock });
  server.socket.deliver({ type: 'moderation:ban', data: { userId: 'u1' } });
  server.socket.deliver({ type: 'heartbeat' });
  assert.deepEqual(seen, ['moderation:lock', 'moderation:ban']);
});

test('a server whose seq went backwards makes the client reload the canvas', async () => {
  const { server, client, clock } = await started();
  const p = server.paint(0, 0, 1);
  server.socket.deliver(server.batch([p], 1));
  server.bytes.fill(0);
  server.seq = 0;
  server.socket.serverClose();
  await clock.advance(500);
  server.socket.deliver(server.state());
  await flush();
  assert.equal(client.seq, 0);
  assert.equal(client.bitmap.get(0, 0), 0);
});

test('a stored session token survives a server outage but is replaced when the server is up and refuses it', async () => {
  const session = { userId: 'u9', token: 'tok.old', expiresAt: '2999-01-01T00:00:00Z' };
  const { server, client, clock, storage } = await setup({ session });
  await client.start();
  server.socket.deliver(server.state());

  // Down: connections and HTTP fail; the token must be kept.
  server.down = true;
  server.socket.serverClose();
  await clock.advance(10_000);
  assert.match(storage.getItem('pixels.session'), /tok\.old/);
  server.down = false;
  await clock.advance(20_000);
  assert.equal(server.socket.params.get('token'), 'tok.old');

  // Up, but the server now refuses the old token and issues new ones.
  server.validToken = 'tok.new';
  server.session = { userId: 'u10', token: 'tok.new', expiresAt: '2999-01-01T00:00:00Z' };
  server.socket.deliver(server.state());
  server.socket.serverClose();
  await clock.advance(30_000);
  assert.equal(server.socket.params.get('token'), 'tok.new');
  assert.match(storage.getItem('pixels.session'), /tok\.new/);
});

test('a batch with a colour outside the palette reloads the palette and the canvas', async () => {
  const { server, client } = await started();
  server.colors = [...server.colors, '#00FF00'];
  const p = server.paint(1, 1, 3);
  server.socket.deliver(server.batch([p], 1));
  await until(() => client.palette.size === 4 && client.seq === 1);
  assert.equal(client.bitmap.get(1, 1), 3);
});

test('the client asks for binary bulk updates and applies them like JSON ones', async () => {
  const { server, client } = await started();
  assert.deepEqual(server.socket.protocols, ['pixels.v1.bin']);
  assert.equal(client.protocol, 'pixels.v1.bin');
  const a = server.paint(1, 2, 2);
  const b = server.paint(3, 0, 1);
  server.socket.deliverBinary(server.binaryBatch([a, b], 1));
  assert.equal(client.seq, 2);
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
  // Acks and every other message stay JSON on a binary socket.
  server.socket.deliver(server.batch([server.paint(0, 0, 2)], 3));
  assert.equal(client.seq, 3);
});

test('a server that picks no subprotocol is spoken to in JSON on the same socket', async () => {
  const { server, client } = await setup();
  server.binary = 'ignore';
  await client.start();
  await flush();
  assert.deepEqual(server.socket.protocols, ['pixels.v1.bin']);
  server.socket.deliver(server.state());
  assert.equal(client.status, 'connected');
  assert.equal(client.protocol, '');
  server.socket.deliver(server.batch([server.paint(2, 2, 1)], 1));
  assert.equal(client.seq, 1);
  assert.deepEqual([...client.bitmap.data], [...server.bytes]);
});

test('a server that fails handshakes offering binary gets a JSON attempt next, and JSON is kept', async () => {
  const { server, client, clock } = await setup();
  server.binary = 'fail';
  await client.start();
  await flush();
  assert.deepEqual(server.sockets[0].protocols, ['pixels.v1.bin']);
  assert.equal(client.status, 'reconnecting');
  await clock.advance(500);
  assert.deepEqual(server.socket.protocols, [], 'the retry offers no subprotocol');
  server.socket.deliver(server.state());
  assert.equal(client.status, 'connected');
  assert.equal(client.protocol, '');
  server.socket.deliver(server.batch([server.paint(1, 1, 1)], 1));
  assert.equal(client.seq, 1);
  // A later drop reconnects in JSON straight away.
  server.socket.serverClose();
  await clock.advance(500);
  assert.deepEqual(server.socket.protocols, []);
});

test('a server that is down is not mistaken for one refusing binary: attempts alternate', async () => {
  const { server, client, clock } = await started();
  server.refuseConnections = true;
  server.socket.serverClose();
  const offers = [];
  for (let i = 0; i < 4; i++) {
    const n = server.sockets.length;
    while (server.sockets.length === n) await clock.advance(100);
    offers.push(server.socket.protocols.length > 0);
  }
  assert.deepEqual(offers, [true, false, true, false]);
  server.refuseConnections = false;
  await clock.advance(20_000);
  assert.deepEqual(server.socket.protocols, ['pixels.v1.bin'], 'after a failed JSON attempt, binary is offered again');
});

test('binary: false never offers the subprotocol', async () => {
  const { server, client } = await started({}, { binary: false });
  assert.deepEqual(server.socket.protocols, []);
  assert.equal(client.protocol, '');
});
