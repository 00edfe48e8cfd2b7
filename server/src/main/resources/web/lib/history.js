// Pure logic of the history scrubber: the index of history points the server
// lists at GET /history, where the slider stands on it, and which point to
// fetch next while the slider is dragged.

/**
 * The index from GET /history as the slider uses it: points oldest first,
 * each {seq, time (epoch ms), url}. Points the server repeats or sends out of
 * order are dropped, so positions always move forward in time.
 */
export function parseIndex(json) {
  const points = [];
  for (const p of Array.isArray(json?.points) ? json.points : []) {
    const time = Date.parse(p?.time);
    if (!Number.isSafeInteger(p?.seq) || !Number.isFinite(time) || typeof p?.url !== 'string') continue;
    const last = points[points.length - 1];
    if (last && (p.seq <= last.seq || time < last.time)) continue;
    points.push({ seq: p.seq, time, url: p.url });
  }
  return { points, liveSeq: Number.isSafeInteger(json?.live?.seq) ? json.live.seq : null };
}

/**
 * What the slider shows at `position` (0 … points.length): a point, or the
 * live canvas at the right end.
 */
export function atPosition(index, position) {
  const i = Math.round(Number(position));
  if (!Number.isFinite(i) || i >= index.points.length || i < 0) return { live: true };
  return { live: false, point: index.points[i] };
}

/** The slider's label for what it shows. */
export function positionLabel(shown, locale) {
  if (shown.live) return 'Live';
  return new Date(shown.point.time).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * One fetch at a time, and only the newest wish: dragging asks for many
 * points, but only the one the slider rests on matters. `want(key)` returns
 * true when the caller should fetch `key` now; otherwise it is remembered,
 * replacing any older wish, and `done()` hands it over once the fetch in
 * flight ends.
 */
export class LatestOnly {
  constructor() {
    this.inFlight = null;
    this.next = null;
  }

  want(key) {
    if (this.inFlight === null) {
      this.inFlight = key;
      return true;
    }
    this.next = key === this.inFlight ? null : key;
    return false;
  }

  /** Ends the fetch in flight; returns the key to fetch next, or null. */
  done() {
    this.inFlight = this.next;
    this.next = null;
    return this.inFlight;
  }
}

/** A small least-recently-used map: fetched points kept for dragging back. */
export class Lru {
  constructor(capacity) {
    this.capacity = capacity;
    this.map = new Map();
  }

  get(key) {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value);
  }
}
