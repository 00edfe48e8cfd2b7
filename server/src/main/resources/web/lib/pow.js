// The ALTCHA proof of work (SHA-256): find the number n in 0..maxnumber with
// SHA-256(salt + n) equal to the challenge, then send the payload the server
// verifies. Pure functions: the page runs them in a Web Worker.
import { sha256Into } from './sha256.js';

const encoder = new TextEncoder();

/**
 * The number solving `challenge`, or null if none up to its maxnumber does.
 * The salt's bytes are written once and only the digits change per try, so a
 * try allocates nothing.
 * @param {{salt: string, challenge: string, maxnumber: number}} challenge
 */
export function solveChallenge({ salt, challenge, maxnumber }) {
  const hex = String(challenge).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) return null;
  const target = new Uint32Array(8);
  for (let i = 0; i < 8; i++) target[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  const saltBytes = encoder.encode(salt);
  const buf = new Uint8Array(Math.ceil((saltBytes.length + 16 + 9) / 64) * 64 + 64);
  buf.set(saltBytes);
  const out = new Uint32Array(8);
  const digits = new Uint8Array(16);
  for (let n = 0; n <= maxnumber; n++) {
    let len = saltBytes.length;
    let k = 0;
    let v = n;
    do {
      digits[k++] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
    while (k > 0) buf[len++] = digits[--k];
    sha256Into(buf, len, out);
    if (out[0] === target[0] && out[1] === target[1] && out[2] === target[2] && out[3] === target[3]
      && out[4] === target[4] && out[5] === target[5] && out[6] === target[6] && out[7] === target[7]) return n;
  }
  return null;
}

/** The base64 JSON payload the server redeems, as the ALTCHA widget sends it. */
export function payloadOf({ algorithm, challenge, salt, signature }, number) {
  return btoa(JSON.stringify({ algorithm, challenge, number, salt, signature }));
}
