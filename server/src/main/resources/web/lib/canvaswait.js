// Why GET /canvas has not given the page a canvas yet, and when it is tried
// again: the delay from a Retry-After header and the words for a person.

/**
 * Milliseconds to wait from a Retry-After header: delay-seconds or an HTTP
 * date. Null when the header is absent, unreadable or asks for no wait, so the
 * caller falls back to its own backoff rather than retrying at once.
 */
export function retryAfterMs(header, nowMs) {
  if (header == null) return null;
  const text = String(header).trim();
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return ms > 0 ? ms : null;
  }
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return null;
  return at > nowMs ? at - nowMs : null;
}

/** The reason for a failed /canvas load, by HTTP status (0: no answer at all). */
export function canvasWaitReason(status) {
  if (status === 429) return 'Too many canvas loads from your address: the server asks the page to wait.';
  if (status === 503) return 'The server is busy and cannot send the canvas yet.';
  return 'The server could not be reached.';
}

/** The countdown to the next try, for `retryAt` (ms since the epoch). */
export function canvasWaitCountdown(retryAt, nowMs) {
  const left = Math.ceil((retryAt - nowMs) / 1000);
  return left > 0 ? `Trying again in ${left} s…` : 'Trying again now…';
}
