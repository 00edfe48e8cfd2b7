// The moderator's side of the admin API (docs/moderation.md): the admin token
// kept for the browser session, requests that carry it only as a bearer
// header, and the small pure helpers the console needs (rectangles, times,
// audit queries, one-line descriptions of entries and events).

export const TOKEN_KEY = 'pixels.adminToken';
/** How many of a user's newest pixels the console fetches and highlights. */
export const USER_PIXELS_LIMIT = 1000;

/** A refused or failed admin request, with a sentence a moderator can act on. */
export class AdminError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The words shown for an admin request the server refused. */
export function adminErrorText(status, body, retryAfter) {
  const detail = body?.message ? `: ${body.message}` : '';
  if (status === 401) return 'The server wants an admin token and got none. Sign in again.';
  if (status === 403) return 'That admin token was refused. Check that you pasted the whole token, from ADMIN_TOKEN or DATA_DIR/admin-token.';
  if (status === 429) {
    const wait = Number(retryAfter);
    const when = Number.isFinite(wait) && wait > 0 ? ` Try again in ${wait} s.` : ' Try again in a minute.';
    return body?.error === 'too_many_repairs' ? `Too many repairs are running.${when}` : `Too many requests.${when}`;
  }
  if (status === 400) return `The server refused the request${detail}`;
  if (status === 404) return `Not found${detail}`;
  if (status >= 500) return `The server could not do it (${status})${detail}`;
  return `The request failed (${status})${detail}`;
}

/**
 * Admin API calls with the token held in session storage. Nothing is sent
 * before {@link signIn} succeeded, and the token never goes into a URL.
 */
export class AdminApi {
  constructor({ base = '', fetch: fetchFn = globalThis.fetch?.bind(globalThis), storage = null } = {}) {
    this.base = base;
    this.fetch = fetchFn;
    this.storage = storage;
    this.token = storage?.getItem(TOKEN_KEY) || null;
  }

  get signedIn() {
    return this.token !== null;
  }

  /** Checks a pasted token against the server (GET /admin/bans) and keeps it if accepted. */
  async signIn(token) {
    const candidate = String(token ?? '').trim();
    if (!candidate) throw new AdminError(0, 'empty', 'Paste the admin token first.');
    await this.#send('GET', '/admin/bans', undefined, candidate);
    this.token = candidate;
    this.storage?.setItem(TOKEN_KEY, candidate);
  }

  signOut() {
    this.token = null;
    this.storage?.removeItem(TOKEN_KEY);
  }

  request(method, path, body) {
    if (!this.token) return Promise.reject(new AdminError(0, 'signed_out', 'Sign in with the admin token first.'));
    return this.#send(method, path, body, this.token);
  }

  async #send(method, path, body, token) {
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await this.fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
    } catch (err) {
      throw new AdminError(0, 'network', `The server could not be reached (${err?.message ?? err}).`);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      // A token the server refuses is not kept: the moderator signs in again.
      if ((res.status === 401 || res.status === 403) && token === this.token) this.signOut();
      throw new AdminError(res.status, json?.error ?? 'http', adminErrorText(res.status, json, res.headers.get('Retry-After')));
    }
    return json;
  }

  bans() {
    return this.request('GET', '/admin/bans');
  }
  lock(rect, reason, expiresAt) {
    return this.request('POST', '/locks', { ...rectOf(rect), reason: reason || null, expiresAt: expiresAt ?? null });
  }
  unlock(rect) {
    return this.request('DELETE', `/locks/${rect.x1}/${rect.y1}/${rect.x2}/${rect.y2}`);
  }
  audit(filters) {
    return this.request('GET', '/audit?' + auditQuery(filters));
  }
  userPixels(userId) {
    return this.audit({ userId, limit: USER_PIXELS_LIMIT });
  }
  previewRollback(userId, since) {
    return this.request('POST', '/admin/rollback/preview', { userId, since });
  }
  rollback(userId, since) {
    return this.request('POST', '/admin/rollback', { userId, since });
  }
  ban(userId, { reason, until, rollbackSince } = {}) {
    return this.request('POST', '/admin/bans', { userId, reason: reason || null, until: until ?? null, rollbackSince: rollbackSince ?? null });
  }
  unban(id) {
    return this.request('DELETE', `/admin/bans/${encodeURIComponent(id)}`);
  }
  suspects(limit) {
    return this.request('GET', `/admin/suspects?limit=${limit}`);
  }
  previewRewind(rect, to) {
    return this.request('POST', '/admin/rewind/preview', { ...rectOf(rect), to });
  }
  rewind(rect, to) {
    return this.request('POST', '/admin/rewind', { ...rectOf(rect), to });
  }
}

function rectOf(r) {
  return { x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2 };
}

/** The inclusive rectangle spanned by two canvas points, clamped to a width×height canvas. */
export function rectBetween(a, b, width, height) {
  const cx = (v) => Math.max(0, Math.min(width - 1, Math.floor(v)));
  const cy = (v) => Math.max(0, Math.min(height - 1, Math.floor(v)));
  return { x1: Math.min(cx(a.x), cx(b.x)), y1: Math.min(cy(a.y), cy(b.y)), x2: Math.max(cx(a.x), cx(b.x)), y2: Math.max(cy(a.y), cy(b.y)) };
}

export function rectText(r) {
  return `(${r.x1}, ${r.y1})–(${r.x2}, ${r.y2}), ${r.x2 - r.x1 + 1}×${r.y2 - r.y1 + 1}`;
}

/** Parses "x1,y1,x2,y2" (spaces allowed) into a rectangle, or null. */
export function parseRect(text) {
  const parts = String(text ?? '').split(/[\s,]+/).filter(Boolean).map(Number);
  if (parts.length !== 4 || !parts.every(Number.isInteger)) return null;
  const [x1, y1, x2, y2] = parts;
  return x1 <= x2 && y1 <= y2 && x1 >= 0 && y1 >= 0 ? { x1, y1, x2, y2 } : null;
}

const DURATIONS = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };

/** An expiry ("1h", "7d"...) as an ISO time from `now`, or null for "never". */
export function expiryFrom(choice, now = Date.now()) {
  const ms = DURATIONS[choice];
  return ms ? new Date(now + ms).toISOString() : null;
}

/**
 * A moderator's time as ISO-8601 with an offset, or null. Accepts ISO with
 * an offset as is; a time without one ("2026-11-29 01:30") is local time.
 */
export function parseTime(text) {
  const t = String(text ?? '').trim();
  if (!t) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : t.replace(' ', 'T'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The query string of GET /audit for the console's filters. */
export function auditQuery({ userId, region, type, since, until, before, limit } = {}) {
  const q = new URLSearchParams();
  if (type && type !== 'pixel') q.set('type', type);
  if (type !== 'moderation') {
    if (userId) q.set('userId', userId);
    if (region) for (const k of ['x1', 'y1', 'x2', 'y2']) q.set(k, String(region[k]));
    if (since) q.set('since', since);
    if (until) q.set('until', until);
  }
  if (before) q.set('before', String(before));
  if (limit) q.set('limit', String(limit));
  return q.toString();
}

/** Where an audit entry or moderation event happened, for panning to it: {x, y} or null. */
export function entryTarget(entry) {
  if (!entry) return null;
  if (Number.isInteger(entry.x) && Number.isInteger(entry.y)) return { x: entry.x, y: entry.y };
  const p = entry.params ?? entry.data ?? entry;
  const r = p.region ?? p;
  if ([r.x1, r.y1, r.x2, r.y2].every(Number.isInteger)) return { x: Math.floor((r.x1 + r.x2) / 2), y: Math.floor((r.y1 + r.y2) / 2) };
  return null;
}

/** One line for an audit entry (pixel or moderation). */
export function describeEntry(e) {
  if (e.action === 'pixel') {
    const tool = e.tool && e.tool !== 'brush' ? ` (${e.tool})` : '';
    return `${e.userId} painted (${e.x}, ${e.y}) ${e.color} over ${e.previousColor}${tool}`;
  }
  const p = e.params ?? {};
  const where = p.region ? rectText(p.region) : [p.x1, p.y1, p.x2, p.y2].every(Number.isInteger) ? rectText(p) : '';
  switch (e.action) {
    case 'lock':
      return `${e.admin} locked ${where}${p.reason ? ` — ${p.reason}` : ''}`;
    case 'unlock':
      return `${e.admin} unlocked ${where}`;
    case 'lock_expired':
      return `lock on ${where} expired`;
    case 'rollback':
      return `${e.admin} rolled back ${p.userId} since ${p.since}: ${p.pixelsChanged ?? '?'} pixels${p.incomplete ? ' (incomplete)' : ''}`;
    case 'rewind':
      return `${e.admin} rewound ${where} to ${p.to}: ${p.pixelsChanged ?? '?'} pixels${p.incomplete ? ' (incomplete)' : ''}`;
    case 'ban':
      return `${e.admin} banned ${p.userId ?? p.ip}${p.until ? ` until ${p.until}` : ''}${p.reason ? ` — ${p.reason}` : ''}${p.rollback ? `, rolled back ${p.rollback.pixelsChanged} pixels` : ''}`;
    case 'unban':
      return `${e.admin} unbanned ${p.userId ?? p.ip}`;
    default:
      return `${e.action} by ${e.admin}`;
  }
}

/** One line for a moderation:* WebSocket event. */
export function describeEvent(msg) {
  const d = msg?.data ?? {};
  const kind = String(msg?.type ?? '').replace(/^moderation:/, '');
  if (kind === 'lock') return `${d.createdBy ?? 'someone'} locked ${rectText(d)}${d.reason ? ` — ${d.reason}` : ''}`;
  if (kind === 'unlock') return `lock removed from ${rectText(d)}`;
  return `${kind}: ${JSON.stringify(d)}`;
}
