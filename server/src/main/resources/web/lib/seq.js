// Sequence bookkeeping for pixel:bulk_update frames. Batches carry the pixels
// with seq fromSeq..toSeq in order, one pixel per seq, so a batch that overlaps
// what we already hold can be trimmed instead of refetching the canvas.

/**
 * Decides what to do with a batch given the last seq applied locally.
 * - `apply` with `skip` pixels to drop from the front (already applied);
 * - `duplicate` when everything in it is already applied;
 * - `gap` when seqs between `current` and `fromSeq` are missing;
 * - `invalid` when the batch contradicts itself.
 */
export function classifyBatch(current, fromSeq, toSeq, pixelCount) {
  if (!Number.isInteger(fromSeq) || !Number.isInteger(toSeq) || fromSeq < 1 || toSeq < fromSeq) {
    return { action: 'invalid' };
  }
  if (toSeq <= current) return { action: 'duplicate' };
  if (fromSeq > current + 1) return { action: 'gap', missingFrom: current + 1, missingTo: fromSeq - 1 };
  const skip = current + 1 - fromSeq;
  // Trimming relies on one pixel per seq; if the counts disagree only an
  // exact continuation is safe to apply.
  if (pixelCount !== toSeq - fromSeq + 1 && skip !== 0) return { action: 'gap', missingFrom: current + 1, missingTo: current + 1 };
  return { action: 'apply', skip };
}

/**
 * Holds batches that arrive while a canvas refetch is in flight, and replays
 * the ones newer than the fetched snapshot once it lands.
 */
export class BatchBuffer {
  constructor(limit = 2000) {
    this.limit = limit;
    this.items = [];
    this.overflowed = false;
  }

  push(batch) {
    if (this.items.length >= this.limit) {
      this.overflowed = true;
      return;
    }
    this.items.push(batch);
  }

  drain() {
    const items = this.items;
    const overflowed = this.overflowed;
    this.items = [];
    this.overflowed = false;
    return { items, overflowed };
  }
}
