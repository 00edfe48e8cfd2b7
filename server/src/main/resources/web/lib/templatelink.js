// The share link of a URL template: its address, position, and how it is
// shown, in the page's fragment (#template=…&x=…&y=…&mode=…) so that the server
// never sees it. File templates have no address and so no link.

import { MODES, safeImageUrl } from './template.js';

const MAX_COORD = 1 << 16;

/** The fragment (with its leading '#') that opens the page with this template. */
export function buildShareHash({ url, x, y, mode }) {
  const parts = [`template=${encodeURIComponent(url)}`, `x=${x}`, `y=${y}`];
  if (mode && mode !== 'image') parts.push(`mode=${mode}`);
  return '#' + parts.join('&');
}

/**
 * The template a fragment asks for: null when it asks for none, else
 * { url, x, y, mode } or { error } with a sentence. Relative addresses are
 * resolved against `base` (the page's own address).
 */
export function parseShareHash(hash, base) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  if (!params.has('template')) return null;
  const url = safeImageUrl(params.get('template'), base);
  if (!url) return { error: 'The link\u2019s template address is not an http(s) image address.' };
  const x = coord(params.get('x'));
  const y = coord(params.get('y'));
  if (x === null || y === null) return { error: 'The link\u2019s template position (x and y) is missing or not a whole number.' };
  const mode = params.get('mode');
  return { url, x, y, mode: MODES.includes(mode) ? mode : 'image' };
}

function coord(s) {
  if (s === null || !/^-?\d{1,6}$/.test(s)) return null;
  const v = Number(s);
  return Math.abs(v) <= MAX_COORD ? v : null;
}
