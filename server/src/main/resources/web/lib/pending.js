// Optimistic paints. Each one is shown on top of the confirmed bitmap from the
// moment it is sent until the confirmed bitmap has caught up with its ack seq
// (the ack and the batch carrying the pixel may arrive in either order), or
// until it is rejected, which reverts it.

export class PendingPaints {
  constructor() {
    this.byId = new Map();
    this.byKey = new Map();
  }

  get size() {
    return this.byId.size;
  }

  add(id, x, y, index) {
    const entry = { id, x, y, index, ackSeq: null };
    this.byId.set(id, entry);
    const key = keyOf(x, y);
    const list = this.byKey.get(key);
    if (list) list.push(entry);
    else this.byKey.set(key, [entry]);
    return entry;
  }

  get(id) {
    return this.byId.get(id) ?? null;
  }

  /** The colour index to show at x,y, or null to show the confirmed bitmap. */
  displayIndex(x, y) {
    const list = this.byKey.get(keyOf(x, y));
    return list ? list[list.length - 1].index : null;
  }

  /** Marks an ack; returns the entry if it is already covered by `confirmedSeq`. */
  ack(id, seq, confirmedSeq) {
    const entry = this.byId.get(id);
    if (!entry) return null;
    entry.ackSeq = seq;
    if (Number.isInteger(seq) && seq <= confirmedSeq) this.#remove(entry);
    return entry;
  }

  /** Drops a rejected paint; returns it so the caller can repaint x,y. */
  reject(id) {
    const entry = this.byId.get(id);
    if (!entry) return null;
    this.#remove(entry);
    return entry;
  }

  /** Drops acked paints that the confirmed bitmap now includes. */
  settle(confirmedSeq) {
    const settled = [];
    for (const entry of this.byId.values()) {
      if (entry.ackSeq !== null && entry.ackSeq <= confirmedSeq) settled.push(entry);
    }
    for (const entry of settled) this.#remove(entry);
    return settled;
  }

  /**
   * Drops paints that never got an answer, e.g. when the socket closed: the
   * server may or may not have taken them, and catch-up with sinceSeq will
   * bring back the ones it did.
   */
  dropUnacked() {
    const dropped = [];
    for (const entry of this.byId.values()) if (entry.ackSeq === null) dropped.push(entry);
    for (const entry of dropped) this.#remove(entry);
    return dropped;
  }

  #remove(entry) {
    this.byId.delete(entry.id);
    const key = keyOf(entry.x, entry.y);
    const list = this.byKey.get(key);
    if (!list) return;
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byKey.delete(key);
  }
}

function keyOf(x, y) {
  return x * 65536 + y;
}
