// Locked regions (inclusive rectangles) as announced by GET /locks and the
// moderation:lock / moderation:unlock events. A lock is identified by its
// rectangle, matching DELETE /locks/{x1}/{y1}/{x2}/{y2}.

export function lockKey(l) {
  return `${l.x1},${l.y1},${l.x2},${l.y2}`;
}

export function isValidLock(l) {
  return l && [l.x1, l.y1, l.x2, l.y2].every(Number.isInteger) && l.x1 <= l.x2 && l.y1 <= l.y2;
}

export class LockSet {
  constructor(now = () => Date.now()) {
    this.now = now;
    this.map = new Map();
  }

  replaceAll(locks) {
    this.map.clear();
    for (const l of locks ?? []) this.add(l);
  }

  add(lock) {
    if (!isValidLock(lock)) return false;
    this.map.set(lockKey(lock), lock);
    return true;
  }

  remove(lock) {
    return isValidLock(lock) ? this.map.delete(lockKey(lock)) : false;
  }

  #expired(lock, t) {
    if (!lock.expiresAt) return false;
    const e = Date.parse(lock.expiresAt);
    return Number.isFinite(e) && e <= t;
  }

  /** Active locks; expired ones are dropped as they are found. */
  active() {
    const t = this.now();
    const out = [];
    for (const [k, l] of this.map) {
      if (this.#expired(l, t)) this.map.delete(k);
      else out.push(l);
    }
    return out;
  }

  find(x, y) {
    return this.active().find((l) => x >= l.x1 && x <= l.x2 && y >= l.y1 && y <= l.y2) ?? null;
  }

  /** Soonest expiry among active locks, to schedule a redraw. */
  nextExpiry() {
    let next = Infinity;
    for (const l of this.active()) {
      const e = l.expiresAt ? Date.parse(l.expiresAt) : NaN;
      if (Number.isFinite(e)) next = Math.min(next, e);
    }
    return next;
  }
}
