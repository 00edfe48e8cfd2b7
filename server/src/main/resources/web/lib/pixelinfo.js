// Pure logic of the pixel-info card and the overlays: request paths, what the
// card says about a GET /pixels/{x}/{y} answer, and a refused lookup in words.

/** The lookup path of pixel (x, y). */
export function lookupPath(x, y) {
  return `/pixels/${Math.trunc(x)}/${Math.trunc(y)}`;
}

/** The heatmap path for a window such as "1h"; the server validates it (1m..7d). */
export function heatmapPath(window = '1h') {
  return `/canvas/heatmap?window=${encodeURIComponent(window)}`;
}

export const VIRGIN_PATH = '/canvas/virgin';

/** How long ago `thenMs` was at `nowMs`, in words ("just now", "5 min ago", "3 h ago", "2 days ago"). */
export function timeAgo(thenMs, nowMs) {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/**
 * The card's content for a lookup answer `info` ({x, y, changes, placement}):
 * a title and label/value rows. `colors` is the palette's hex list; `nowMs`
 * the current time. "By" appears only when the server sent a pseudonym, and
 * the raw user id only when it sent one (admins).
 */
export function describeLookup(info, colors, nowMs) {
  const title = `Pixel (${info.x}, ${info.y})`;
  const p = info.placement;
  if (!p) {
    return { title, rows: [{ label: 'Placed', value: 'never painted' }, { label: 'Changes', value: '0' }], color: null };
  }
  const color = colors?.[p.color] ?? null;
  const when = new Date(p.time);
  const rows = [
    { label: 'Placed', value: `${timeAgo(p.time, nowMs)} (${when.toISOString().replace('T', ' ').slice(0, 19)} UTC)` },
    { label: 'Colour', value: color ?? `#${p.color}` },
  ];
  if (p.by) rows.push({ label: 'By', value: p.by });
  if (p.userId) rows.push({ label: 'User id', value: p.userId });
  if (p.tool === 'rollback' || p.tool === 'rewind') rows.push({ label: 'Tool', value: `moderator ${p.tool}` });
  rows.push({ label: 'Changes', value: String(info.changes) });
  return { title, rows, color };
}

/** Words for a lookup the server refused: `status`, its Retry-After header (seconds) and error body. */
export function lookupErrorText(status, retryAfter, body) {
  const wait = Number.parseInt(retryAfter ?? '', 10);
  const inN = Number.isFinite(wait) && wait > 0 ? ` in ${wait} s` : ' shortly';
  if (status === 429) return `Too many lookups, try again${inN}.`;
  if (status === 503) return `Pixel info is still loading on the server; try again${inN}.`;
  if (status === 400) return body?.message ?? 'That pixel is not on the canvas.';
  if (status === 403) return 'The admin token was refused.';
  return `Pixel info is unavailable (HTTP ${status}).`;
}
