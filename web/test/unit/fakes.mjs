// Test doubles for CanvasClient: a manual clock with timers, a scripted
// fetch, and a WebSocket whose server side the test plays.
import { createHash } from 'node:crypto';

export function sha(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

export class FakeClock {
  constructor() {
    this.t = 1_000_000;
    this.timers = [];
    this.seq = 0;
    this.now = () => this.t;
    this.setTimeout = (fn, ms = 0) => {
      const id = ++this.seq;
      this.timers.push({ id, at: this.t + ms, fn });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }

  /** Moves time forward, firing due timers in order and letting promises settle. */
  async advance(ms) {
    const end = this.t + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
    await flush();
  }
}

export async function flush() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export class FakeServer {
  constructor({ width = 4, height = 3, colors = ['#FFFFFF', '#000000', '#FF0000'], session = 404 } = {}) {
    this.width = width;
    this.height = height;
    this.colors = colors;
    this.bytes = new Uint8Array(width * height);
    this.seq = 0;
    this.session = session;
    this.requests = [];
    this.sockets = [];
    this.canvasStatus = [];
    this.refuseConnections = false;
    // 'accept': a binary offer gets pixels.v1.bin; 'ignore': the handshake picks no subprotocol;
    // 'fail': a handshake offering it fails, like a server or proxy that rejects unknown subprotocols.
    this.binary = 'accept';
    this.down = false;
    this.validToken = null;
    const server = this;
    this.fetch = async (url, init = {}) => server.#handle(new URL(url), init);
    this.WebSocket = class extends FakeSocket {
      constructor(url, protocols = []) {
        super(url, server);
        this.protocols = [].concat(protocols);
        server.sockets.push(this);
        queueMicrotask(() => {
          const token = new URL(url).searchParams.get('token');
          const offersBinary = this.protocols.includes('pixels.v1.bin');
          if (server.refuseConnections || server.down || (token && server.validToken && token !== server.validToken)
              || (offersBinary && server.binary === 'fail')) this.serverClose();
          else {
            this.protocol = offersBinary && server.binary === 'accept' ? 'pixels.v1.bin' : '';
            this.readyState = 1;
            this.onopen?.();
          }
        });
      }
    };
  }

  get socket() {
    return this.sockets.at(-1);
  }

  /** Server-side paint: updates the server bitmap and returns the wire pixel. */
  paint(x, y, index) {
    this.seq++;
    this.bytes[y * this.width + x] = index;
    return { x, y, color: this.colors[index] };
  }

  /** A batch as a pixels.v1.bin frame (docs/protocol.md), colours as palette indices. */
  binaryBatch(pixels, fromSeq, toSeq = fromSeq + pixels.length - 1, hash = sha(this.bytes)) {
    const buffer = new ArrayBuffer(64 + 5 * pixels.length);
    const v = new DataView(buffer);
    v.setUint8(0, 1);
    v.setUint8(1, 1);
    v.setBigUint64(4, BigInt(fromSeq));
    v.setBigUint64(12, BigInt(toSeq));
    v.setBigUint64(20, BigInt(Date.now()));
    for (let i = 0; i < 32; i++) v.setUint8(28 + i, parseInt(hash.slice(2 * i, 2 * i + 2), 16));
    v.setUint32(60, pixels.length);
    pixels.forEach((p, i) => {
      v.setUint16(64 + 5 * i, p.x);
      v.setUint16(66 + 5 * i, p.y);
      v.setUint8(68 + 5 * i, this.colors.indexOf(p.color));
    });
    return buffer;
  }

  batch(pixels, fromSeq, toSeq = fromSeq + pixels.length - 1, hash = sha(this.bytes)) {
    return { type: 'pixel:bulk_update', data: { pixels, hash, fromSeq, toSeq }, timestamp: new Date().toISOString() };
  }

  state(extra = {}) {
    return { type: 'canvas:state', data: { width: this.width, height: this.height, seq: this.seq, hash: sha(this.bytes), userId: 'u-1', ...extra } };
  }

  #handle(url, init) {
    if (this.down) return Promise.reject(new TypeError('fetch failed'));
    this.requests.push({ path: url.pathname, method: init.method ?? 'GET' });
    const json = (status, body) => ({
      ok: status >= 200 && status < 300,
      status,
      headers: new Headers(),
      json: async () => body,
    });
    switch (url.pathname) {
      case '/palette':
        return json(200, { colors: this.colors });
      case '/session':
        return typeof this.session === 'number' ? json(this.session, {}) : json(200, this.session);
      case '/health':
        return json(200, { status: 'ok' });
      case '/locks':
        return json(200, { locks: [] });
      case '/canvas': {
        const forced = this.canvasStatus.shift();
        if (forced) return { ok: false, status: forced.status, headers: new Headers(forced.headers ?? {}) };
        const copy = this.bytes.slice();
        return {
          ok: true,
          status: 200,
          headers: new Headers({
            'X-Canvas-Width': String(this.width),
            'X-Canvas-Height': String(this.height),
            'X-Canvas-Seq': String(this.seq),
            ETag: `"${sha(copy)}"`,
          }),
          arrayBuffer: async () => copy.buffer,
        };
      }
      default:
        return json(404, {});
    }
  }
}

class FakeSocket {
  constructor(url, server) {
    this.url = url;
    this.server = server;
    this.readyState = 0;
    this.sent = [];
  }

  send(text) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.readyState = 3;
  }

  /** The server sends a frame to the client. */
  deliver(msg) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }

  /** The server sends a binary frame (an ArrayBuffer) to the client. */
  deliverBinary(buffer) {
    this.onmessage?.({ data: buffer });
  }

  /** The server drops the connection. */
  serverClose() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }

  get params() {
    return new URL(this.url).searchParams;
  }
}

/** Waits (in real time, briefly) for work off the main thread such as crypto.subtle digests. */
export async function until(cond, ms = 2000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
  await flush();
}
