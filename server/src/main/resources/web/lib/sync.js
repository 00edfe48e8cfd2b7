// The canvas client without any DOM: REST loading, the WebSocket with
// sinceSeq resume, batch application, hash checks, optimistic paints and the
// stroke queue. The page wires it to the screen; tests drive it with fakes.

import { Bitmap, SyncError } from './bitmap.js';
import { Palette } from './palette.js';
import { classifyBatch, BatchBuffer } from './seq.js';
import { PendingPaints } from './pending.js';
import { RateEstimator, DEFAULT_LIMITS } from './ratelimit.js';
import { Backoff } from './backoff.js';
import { sha256Hex, HashSchedule, normalizeHash } from './hash.js';
import { LockSet } from './locks.js';
import { pixelUpdate, parseFrame } from './messages.js';
import { Emitter } from './emitter.js';
import { retryAfterMs } from './canvaswait.js';
import { BINARY_SUBPROTOCOL, decodeBulkUpdate } from './binary.js';

const OPEN = 1;
const SESSION_KEY = 'pixels.session';
const QUEUE_LIMIT = 2000;
// After this many failed attempts in a row, "reconnecting" becomes "offline":
// the server is down rather than blipping, though we keep retrying.
const OFFLINE_AFTER_ATTEMPTS = 5;

export class CanvasClient extends Emitter {
  /**
   * @param {object} deps
   * @param {string} deps.httpBase   e.g. "http://host:8000"
   * @param {string} deps.wsBase     e.g. "ws://host:8000"
   * @param {Function} deps.fetch
   * @param {Function} deps.WebSocket
   * @param {boolean} [deps.binary]  ask for binary bulk updates (pixels.v1.bin); JSON if the server refuses
   */
  constructor({
    httpBase,
    wsBase,
    fetch = globalThis.fetch?.bind(globalThis),
    WebSocket = globalThis.WebSocket,
    now = () => Date.now(),
    setTimeout: setT = globalThis.setTimeout.bind(globalThis),
    clearTimeout: clearT = globalThis.clearTimeout.bind(globalThis),
    storage = null,
    random = Math.random,
    heartbeatMs = 10_000,
    heartbeatTimeoutMs = 25_000,
    hashIntervalMs = 5000,
    binary = true,
  }) {
    super();
    this.httpBase = httpBase;
    this.wsBase = wsBase;
    this.fetch = fetch;
    this.WebSocket = WebSocket;
    this.now = now;
    this.setTimeout = setT;
    this.clearTimeout = clearT;
    this.storage = storage;
    this.heartbeatMs = heartbeatMs;
    this.heartbeatTimeoutMs = heartbeatTimeoutMs;

    this.palette = null;
    this.bitmap = null;
    this.seq = 0;
    this.userId = null;
    this.session = null;
    this.pending = new PendingPaints();
    this.rate = new RateEstimator(DEFAULT_LIMITS, now);
    this.locks = new LockSet(now);
    this.backoff = new Backoff({ random });
    this.resyncBackoff = new Backoff({ baseMs: 250, maxMs: 10_000, random });
    this.hashSchedule = new HashSchedule(hashIntervalMs, now);
    this.buffer = new BatchBuffer();

    this.ws = null;
    // Binary bulk updates are a fifth of the bytes of JSON. A server (or proxy)
    // that fails the handshake offering them gets the next attempt without
    // them; if that one opens, this page stays with JSON.
    this.askBinary = binary;
    this.binaryRefused = false;
    /** The subprotocol the open socket speaks: 'pixels.v1.bin', or '' for JSON only. */
    this.protocol = '';
    this.status = 'connecting';
    this.rttMs = null;
    this.retryAt = null;
    this.failedAttempts = 0;
    this.online = true;
    this.stopped = false;
    this.resyncing = false;
    this.cooldownReason = 'rate_limited';
    this.nextId = 0;
    this.queue = [];
    this.queueTimer = null;
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.heartbeatSentAt = null;
    this.stats = { batches: 0, resyncs: 0, hashChecks: 0, hashMismatches: 0, connects: 0 };
  }

  // ---------------------------------------------------------------- loading

  async start() {
    this.palette = new Palette((await this.#getJson('/palette')).colors);
    await this.#loadSession();
    await this.loadCanvas();
    this.loadLocks();
    this.#connect();
  }

  stop() {
    this.stopped = true;
    this.#clearTimers();
    this.#dropSocket();
  }

  async #getJson(path, init) {
    const res = await this.fetch(this.httpBase + path, init);
    if (!res.ok) throw new HttpError(path, res.status);
    return res.json();
  }

  async #loadSession() {
    const saved = this.#readSavedSession();
    if (saved) {
      this.session = saved;
      return;
    }
    try {
      const res = await this.fetch(this.httpBase + '/session', { method: 'POST' });
      // Servers without sessions answer 404/405: anonymous ids still work.
      if (!res.ok) return;
      const s = await res.json();
      if (typeof s?.token !== 'string') return;
      this.session = s;
      this.storage?.setItem(SESSION_KEY, JSON.stringify(s));
    } catch {
      // No session is a degraded mode, not a failure to load the page.
    }
  }

  #readSavedSession() {
    try {
      const s = JSON.parse(this.storage?.getItem(SESSION_KEY) ?? 'null');
      if (!s || typeof s.token !== 'string') return null;
      const exp = Date.parse(s.expiresAt);
      // Renew a minute early so a token never expires mid-handshake.
      if (Number.isFinite(exp) && exp - 60_000 <= this.now()) return null;
      return s;
    } catch {
      return null;
    }
  }

  #forgetSession() {
    this.session = null;
    this.storage?.removeItem(SESSION_KEY);
  }

  /** Fetches /canvas; retries by itself on 429 and network errors. */
  async loadCanvas() {
    for (;;) {
      let res;
      try {
        res = await this.fetch(this.httpBase + '/canvas', { cache: 'no-store' });
      } catch (err) {
        if (this.stopped) throw err;
        await this.#waitToRetryCanvas(0, this.resyncBackoff.next());
        continue;
      }
      if (res.status === 429 || res.status === 503) {
        const retry = retryAfterMs(res.headers.get('Retry-After'), this.now());
        await this.#waitToRetryCanvas(res.status, retry ?? this.resyncBackoff.next());
        continue;
      }
      if (!res.ok) throw new HttpError('/canvas', res.status);
      const width = Number(res.headers.get('X-Canvas-Width'));
      const height = Number(res.headers.get('X-Canvas-Height'));
      const seq = Number(res.headers.get('X-Canvas-Seq'));
      const bytes = new Uint8Array(await res.arrayBuffer());
      this.bitmap = new Bitmap(width, height, bytes);
      this.seq = Number.isInteger(seq) && seq >= 0 ? seq : 0;
      this.canvasEtag = normalizeHash(res.headers.get('ETag'));
      this.resyncBackoff.reset();
      this.pending.settle(this.seq);
      this.emit('canvas', { width, height, seq: this.seq });
      return;
    }
  }

  async loadLocks() {
    try {
      const body = await this.#getJson('/locks');
      this.locks.replaceAll(body.locks);
      this.emit('locks', this.locks.active());
    } catch {
      // Older servers have no locks endpoint; the overlay just stays empty.
    }
  }

  /** Tells the page why there is no canvas yet and when it is tried again, then waits that long. */
  #waitToRetryCanvas(status, ms) {
    this.emit('canvas-wait', { status, retryAt: this.now() + ms });
    return this.#sleep(ms);
  }

  #sleep(ms) {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  // ------------------------------------------------------------- connection

  #wsUrl() {
    const params = new URLSearchParams({ sinceSeq: String(this.seq) });
    if (this.session?.token) params.set('token', this.session.token);
    return `${this.wsBase}/ws?${params}`;
  }

  #connect() {
    if (this.stopped || !this.online) return;
    this.#dropSocket();
    this.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const offeredBinary = this.askBinary && !this.binaryRefused;
    const ws = offeredBinary ? new this.WebSocket(this.#wsUrl(), [BINARY_SUBPROTOCOL]) : new this.WebSocket(this.#wsUrl());
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.protocol = ws.protocol ?? '';
    };
    ws.onmessage = (ev) => {
      if (this.ws === ws) this.#onFrame(ev.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Only a server that answers at all can have refused the subprotocol; a
      // JSON attempt that fails too means it is just down, so binary is asked for again.
      if (!opened && this.askBinary) this.binaryRefused = offeredBinary;
      this.#onDisconnected(opened);
    };
    ws.onerror = () => {
      // onclose follows; nothing to do here.
    };
  }

  /** Closes the current socket without triggering the reconnect path. */
  #dropSocket() {
    const ws = this.ws;
    this.ws = null;
    this.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.heartbeatSentAt = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // Closing a socket that never opened can throw in some engines.
      }
    }
  }

  #onDisconnected(opened) {
    this.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.heartbeatSentAt = null;
    this.#revertUnacked('connection lost');
    if (this.stopped) return;
    if (!opened) {
      this.failedAttempts++;
      if (this.session && this.failedAttempts === 2) this.#checkToken();
    }
    if (!this.online) {
      this.#setStatus('offline');
      return;
    }
    const delay = this.backoff.next();
    this.retryAt = this.now() + delay;
    this.#setStatus(this.failedAttempts >= OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting');
    this.reconnectTimer = this.setTimeout(() => this.#connect(), delay);
  }

  /**
   * A token the server no longer accepts fails the upgrade, which looks just
   * like a server that is down. Only when the server answers HTTP is the
   * token to blame; then swap it for a fresh session (or none).
   */
  async #checkToken() {
    try {
      const res = await this.fetch(this.httpBase + '/health', { cache: 'no-store' });
      if (!res.ok) return;
    } catch {
      return;
    }
    this.#forgetSession();
    await this.#loadSession();
  }

  /** Called by the page on the browser's online/offline events. */
  setOnline(online) {
    this.online = online;
    if (!online) {
      this.#dropSocket();
      this.#revertUnacked('offline');
      this.clearTimeout(this.reconnectTimer);
      this.#setStatus('offline');
    } else if (!this.ws && !this.stopped && this.bitmap) {
      this.backoff.reset();
      this.#connect();
    }
  }

  /** Reconnects now (e.g. the user pressed "retry"). */
  reconnectNow() {
    this.backoff.reset();
    this.#connect();
  }

  #setStatus(status) {
    this.status = status;
    if (status === 'connected') this.retryAt = null;
    this.emit('status', { status, rttMs: this.rttMs, retryAt: this.retryAt });
  }

  #send(msg) {
    if (this.ws?.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  get connected() {
    return this.status === 'connected' && this.ws?.readyState === OPEN;
  }

  #heartbeat() {
    this.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (!this.ws) return;
    const t = this.now();
    if (this.heartbeatSentAt !== null && t - this.heartbeatSentAt >= this.heartbeatTimeoutMs) {
      // A half-open TCP connection can take minutes to report a close; a
      // missed heartbeat reply is our cue to stop waiting for it.
      this.#dropSocket();
      this.#onDisconnected(true);
      return;
    }
    if (this.heartbeatSentAt === null && this.#send({ type: 'heartbeat' })) this.heartbeatSentAt = t;
    this.heartbeatTimer = this.setTimeout(() => this.#heartbeat(), Math.min(this.heartbeatMs, this.heartbeatTimeoutMs));
  }

  // ---------------------------------------------------------------- frames

  #onFrame(data) {
    const msg = typeof data === 'string' ? parseFrame(data) : decodeBulkUpdate(data, this.palette);
    if (!msg) return;
    if (typeof msg.type === 'string' && msg.type.startsWith('moderation:')) this.emit('moderation', msg);
    switch (msg.type) {
      case 'canvas:state':
        return this.#onState(msg.data ?? {});
      case 'pixel:bulk_update':
        return this.#onBatch(msg.data ?? {});
      case 'pixel:ack':
        return this.#onAck(msg.data ?? {});
      case 'pixel:reject':
        return this.#onReject(msg.data ?? {});
      case 'heartbeat':
        if (this.heartbeatSentAt !== null) {
          this.rttMs = this.now() - this.heartbeatSentAt;
          this.heartbeatSentAt = null;
          this.emit('status', { status: this.status, rttMs: this.rttMs, retryAt: this.retryAt });
        }
        return;
      case 'moderation:lock':
        if (this.locks.add(msg.data)) this.emit('locks', this.locks.active());
        return;
      case 'moderation:unlock':
        if (this.locks.remove(msg.data)) this.emit('locks', this.locks.active());
        return;
      case 'error':
        this.emit('server-error', msg.data ?? {});
        return;
      default:
        return;
    }
  }

  #onState(data) {
    this.stats.connects++;
    this.userId = data.userId ?? this.userId;
    this.failedAttempts = 0;
    this.backoff.reset();
    this.hashSchedule.reset();
    const limits = data.rateLimit ?? data.rateLimits;
    if (limits && typeof limits === 'object') {
      this.rate.setLimits({ ...DEFAULT_LIMITS, ...limits });
      this.emit('rate', null);
    }
    this.#setStatus('connected');
    this.#heartbeat();
    this.#drainQueue();
    const sizeChanged = this.bitmap && (data.width !== this.bitmap.width || data.height !== this.bitmap.height);
    // A seq behind ours means the server lost history (e.g. memory storage
    // restarted): our bitmap is from another timeline.
    const wentBack = Number.isInteger(data.seq) && data.seq < this.seq;
    if (data.resync === true || sizeChanged || wentBack) {
      this.resync(data.resync === true ? 'server asked' : sizeChanged ? 'size changed' : 'server seq went back');
    } else if (Number.isInteger(data.seq) && data.seq === this.seq && normalizeHash(data.hash)) {
      this.#verify(normalizeHash(data.hash), this.seq);
    }
  }

  #onBatch(data) {
    if (this.resyncing) {
      this.buffer.push(data);
      return;
    }
    this.#applyBatch(data);
  }

  /** Returns false when the batch could not be applied and a resync started. */
  #applyBatch(data) {
    const pixels = Array.isArray(data.pixels) ? data.pixels : [];
    const verdict = classifyBatch(this.seq, data.fromSeq, data.toSeq, pixels.length);
    if (verdict.action === 'duplicate') return true;
    if (verdict.action !== 'apply') {
      this.resync(verdict.action === 'gap' ? `gap: missing ${verdict.missingFrom}..${verdict.missingTo}` : 'invalid batch');
      return false;
    }
    let touched;
    try {
      touched = this.bitmap.applyPixels(pixels, this.palette, verdict.skip);
    } catch (err) {
      if (!(err instanceof SyncError)) throw err;
      this.resync(err.message);
      return false;
    }
    this.seq = data.toSeq;
    this.stats.batches++;
    const settled = this.pending.settle(this.seq);
    this.emit('pixels', touched.concat(settled));
    const hash = normalizeHash(data.hash);
    if (hash && this.hashSchedule.due()) this.#verify(hash, this.seq);
    return true;
  }

  #verify(expected, atSeq) {
    // Copy now: later batches mutate the bitmap while the digest runs.
    const snapshot = this.bitmap.data.slice();
    this.hashSchedule.start();
    this.stats.hashChecks++;
    sha256Hex(snapshot)
      .then((actual) => {
        this.hashSchedule.finish();
        this.emit('verified', { seq: atSeq, ok: actual === expected });
        if (actual !== expected) {
          this.stats.hashMismatches++;
          this.resync(`hash mismatch at seq ${atSeq}`);
        }
      })
      .catch(() => this.hashSchedule.finish());
  }

  /**
   * Refetches /canvas while buffering live batches, then replays the ones
   * newer than the snapshot. If the snapshot is older than what the socket
   * resumed from, reconnect with sinceSeq to fill the hole.
   */
  async resync(reason) {
    if (this.resyncing || this.stopped) return;
    this.resyncing = true;
    this.stats.resyncs++;
    this.emit('resync', { reason });
    try {
      if (/unknown colour/.test(reason)) {
        // The server's palette changed under us (a restart with a new PALETTE).
        this.palette = new Palette((await this.#getJson('/palette')).colors);
        this.emit('palette', this.palette);
      }
      await this.loadCanvas();
    } catch (err) {
      this.resyncing = false;
      this.buffer.drain();
      this.emit('resync-failed', { reason: String(err) });
      this.#dropSocket();
      this.#onDisconnected(true);
      return;
    }
    const { items, overflowed } = this.buffer.drain();
    this.resyncing = false;
    let ok = !overflowed;
    for (const batch of items) {
      if (!ok) break;
      const v = classifyBatch(this.seq, batch.fromSeq, batch.toSeq, batch.pixels?.length ?? 0);
      if (v.action === 'gap') {
        ok = false;
        break;
      }
      ok = this.#applyBatch(batch);
      if (!ok) return; // #applyBatch already started another resync.
    }
    if (!ok) {
      await this.#sleep(this.resyncBackoff.next());
      this.#connect();
    }
  }

  #onAck(data) {
    const entry = this.pending.ack(data.id, data.seq, this.seq);
    if (entry && !this.pending.get(data.id)) this.emit('pixels', [entry]);
    this.emit('ack', { id: data.id, x: data.x, y: data.y, color: data.color, seq: data.seq });
  }

  #onReject(data) {
    const entry = this.pending.reject(data.id);
    const reason = data.reason ?? 'unknown';
    if (reason === 'rate_limited') {
      this.rate.onRateLimited(data.retryAfterMs);
      this.cooldownReason = reason;
    } else {
      this.rate.refund();
      if (reason === 'unavailable') {
        this.rate.onRateLimited(data.retryAfterMs ?? 2000);
        this.cooldownReason = reason;
      }
    }
    if (reason === 'banned') this.clearQueue();
    if (reason === 'locked_region') this.queue = this.queue.filter((p) => !this.locks.find(p.x, p.y));
    if (entry) this.emit('pixels', [entry]);
    this.emit('rate', null);
    this.emit('reject', {
      id: data.id,
      x: data.x ?? entry?.x,
      y: data.y ?? entry?.y,
      reason,
      message: data.message ?? '',
      retryAfterMs: Number.isFinite(data.retryAfterMs) ? data.retryAfterMs : null,
    });
  }

  #revertUnacked(why) {
    const dropped = this.pending.dropUnacked();
    if (dropped.length) {
      this.emit('pixels', dropped);
      this.emit('reverted', { count: dropped.length, why });
    }
  }

  // --------------------------------------------------------------- painting

  /** What the page should show at x,y: a pending paint, else the bitmap. */
  displayIndex(x, y) {
    const p = this.pending.displayIndex(x, y);
    return p !== null ? p : this.bitmap.get(x, y);
  }

  /**
   * Sends one pixel and shows it at once. Returns {ok:true,id} or
   * {ok:false, reason, retryAfterMs?} when it was not sent at all.
   */
  paint(x, y, tool, hex) {
    if (!this.bitmap?.inBounds(x, y)) return { ok: false, reason: 'out_of_bounds' };
    const index = tool === 'eraser' ? 0 : this.palette.indexOf(hex);
    if (index < 0) return { ok: false, reason: 'invalid_color' };
    if (!this.connected) return { ok: false, reason: 'not_connected' };
    const cooldown = this.rate.cooldownMs();
    if (cooldown > 0) return { ok: false, reason: this.cooldownReason, retryAfterMs: cooldown };
    const id = `c${++this.nextId}`;
    const color = tool === 'eraser' ? undefined : this.palette.hexOf(index);
    if (!this.#send(pixelUpdate(id, x, y, tool === 'eraser' ? 'eraser' : 'brush', color))) {
      return { ok: false, reason: 'not_connected' };
    }
    this.pending.add(id, x, y, index);
    this.rate.take();
    this.emit('pixels', [{ x, y }]);
    this.emit('rate', null);
    return { ok: true, id };
  }

  /**
   * Queues stroke pixels and sends them as fast as the estimated limit
   * allows, skipping pixels that already show the wanted colour.
   */
  enqueue(points, tool, hex) {
    const index = tool === 'eraser' ? 0 : this.palette.indexOf(hex);
    if (index < 0) return;
    for (const { x, y } of points) {
      if (this.queue.length >= QUEUE_LIMIT) break;
      if (!this.bitmap.inBounds(x, y)) continue;
      if (this.displayIndex(x, y) === index) continue;
      if (this.queue.some((q) => q.x === x && q.y === y && q.index === index)) continue;
      this.queue.push({ x, y, tool, hex, index });
    }
    this.emit('queue', this.queue.length);
    this.#drainQueue();
  }

  clearQueue() {
    this.queue = [];
    this.clearTimeout(this.queueTimer);
    this.queueTimer = null;
    this.emit('queue', 0);
  }

  #drainQueue() {
    this.clearTimeout(this.queueTimer);
    this.queueTimer = null;
    while (this.queue.length && this.connected && this.rate.canSend()) {
      const p = this.queue.shift();
      if (this.displayIndex(p.x, p.y) === p.index) continue;
      const r = this.paint(p.x, p.y, p.tool, p.hex);
      if (!r.ok) {
        this.queue.unshift(p);
        break;
      }
    }
    this.emit('queue', this.queue.length);
    if (this.queue.length && this.connected) {
      this.queueTimer = this.setTimeout(() => this.#drainQueue(), Math.max(20, this.rate.waitMs()));
    }
  }

  #clearTimers() {
    for (const t of [this.queueTimer, this.reconnectTimer, this.heartbeatTimer]) this.clearTimeout(t);
    this.queueTimer = this.reconnectTimer = this.heartbeatTimer = null;
  }
}

export class HttpError extends Error {
  constructor(path, status) {
    super(`${path} answered ${status}`);
    this.status = status;
  }
}
