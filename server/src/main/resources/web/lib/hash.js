// SHA-256 of the confirmed bitmap, compared against the hash the server puts
// in each bulk update. Uses crypto.subtle where the browser offers it (secure
// contexts: https or localhost) and a plain implementation elsewhere.

import { sha256HexSync } from './sha256.js';

export async function sha256Hex(bytes) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256HexSync(bytes);
  const digest = await subtle.digest('SHA-256', bytes);
  const out = new Array(digest.byteLength);
  const view = new Uint8Array(digest);
  for (let i = 0; i < view.length; i++) out[i] = view[i].toString(16).padStart(2, '0');
  return out.join('');
}

/**
 * Decides when to verify: hashing 810 KB on every 50 ms batch would waste the
 * main thread, so check the first batch after (re)connecting and then at most
 * once per interval.
 */
export class HashSchedule {
  constructor(intervalMs = 5000, now = () => Date.now()) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.lastCheck = -Infinity;
    this.inFlight = false;
  }

  reset() {
    this.lastCheck = -Infinity;
  }

  due() {
    return !this.inFlight && this.now() - this.lastCheck >= this.intervalMs;
  }

  start() {
    this.inFlight = true;
    this.lastCheck = this.now();
  }

  finish() {
    this.inFlight = false;
  }
}

export function normalizeHash(value) {
  if (typeof value !== 'string') return null;
  const h = value.trim().replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(h) ? h : null;
}
