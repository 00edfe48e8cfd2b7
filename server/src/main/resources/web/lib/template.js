// The template model: an image of the art a player wants, placed at canvas
// coordinates, with how it is shown. Kept free of the DOM so that its
// validation and its storage format can be tested in Node; the image itself
// travels as an opaque PNG data URL.

/** How many templates one page keeps; each costs storage and a progress counter. */
export const MAX_TEMPLATES = 8;
/** The characters the whole list may take in localStorage (browsers allow about 5 million per origin). */
export const MAX_STORED_CHARS = 2_500_000;
export const STORAGE_KEY = 'pixels.templates';
export const MODES = ['image', 'dots', 'diff'];
export const MAX_URL_LENGTH = 2048;
const MAX_NAME = 80;
const MAX_COORD = 1 << 16;

/** An absolute http(s) URL string, or null: other schemes (javascript:, file:) are never loaded. */
export function safeImageUrl(raw, base) {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  let u;
  try {
    u = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
}

/**
 * Why an image of width × height cannot be a template on a canvas of
 * canvasW × canvasH, in words; null when it can. A template larger than the
 * canvas could never be finished, and would cost memory and storage for nothing.
 */
export function sizeProblem(width, height, canvasW, canvasH) {
  if (!(width > 0 && height > 0)) return 'The image is empty.';
  if (width > canvasW || height > canvasH) {
    return `The image is ${width} × ${height} pixels, larger than the ${canvasW} × ${canvasH} canvas. Scale it down to at most ${canvasW} × ${canvasH} and add it again.`;
  }
  return null;
}

function int(v, min, max) {
  return Number.isInteger(v) && v >= min && v <= max;
}

/** A template with every field checked and defaulted, or null when it cannot be one. */
export function normalizeTemplate(t) {
  if (!t || typeof t !== 'object') return null;
  if (typeof t.id !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(t.id)) return null;
  if (!int(t.width, 1, MAX_COORD) || !int(t.height, 1, MAX_COORD)) return null;
  if (!int(t.x, -MAX_COORD, MAX_COORD) || !int(t.y, -MAX_COORD, MAX_COORD)) return null;
  if (typeof t.image !== 'string' || !t.image.startsWith('data:image/')) return null;
  const url = t.url == null ? null : safeImageUrl(t.url);
  if (t.url != null && url === null) return null;
  return {
    id: t.id,
    name: typeof t.name === 'string' && t.name.trim() ? t.name.trim().slice(0, MAX_NAME) : 'Template',
    url,
    x: t.x,
    y: t.y,
    width: t.width,
    height: t.height,
    image: t.image,
    enabled: t.enabled !== false,
    mode: MODES.includes(t.mode) ? t.mode : 'image',
    opacity: typeof t.opacity === 'number' && t.opacity >= 0.1 && t.opacity <= 1 ? t.opacity : 0.6,
    dither: t.dither === true,
  };
}

/** The ordered list of templates; the first is drawn on top and asked first for the next pixel. */
export class TemplateList {
  constructor(items = []) {
    this.items = [];
    for (const t of items) {
      const n = normalizeTemplate(t);
      if (n && this.items.length < MAX_TEMPLATES && !this.get(n.id)) this.items.push(n);
    }
  }

  get(id) {
    return this.items.find((t) => t.id === id) ?? null;
  }

  get full() {
    return this.items.length >= MAX_TEMPLATES;
  }

  /** Adds a template at the top; throws when the list is full or the template invalid. */
  add(t) {
    if (this.full) throw new Error(`At most ${MAX_TEMPLATES} templates: remove one first.`);
    const n = normalizeTemplate(t);
    if (!n) throw new Error('That is not a valid template.');
    if (this.get(n.id)) throw new Error('A template with this id already exists.');
    this.items.unshift(n);
    return n;
  }

  remove(id) {
    const before = this.items.length;
    this.items = this.items.filter((t) => t.id !== id);
    return this.items.length !== before;
  }

  /** Moves a template `delta` places (negative: towards the top); false when it cannot move. */
  move(id, delta) {
    const i = this.items.findIndex((t) => t.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= this.items.length) return false;
    const [t] = this.items.splice(i, 1);
    this.items.splice(j, 0, t);
    return true;
  }

  /** Changes some fields of a template; returns the new template, or null when the change is invalid. */
  update(id, patch) {
    const i = this.items.findIndex((t) => t.id === id);
    if (i < 0) return null;
    const n = normalizeTemplate({ ...this.items[i], ...patch, id });
    if (!n) return null;
    this.items[i] = n;
    return n;
  }

  serialize() {
    return JSON.stringify({ version: 1, templates: this.items });
  }

  /** The list stored as `text`; entries that fail validation are dropped, garbage gives an empty list. */
  static parse(text) {
    try {
      const v = JSON.parse(text ?? 'null');
      return new TemplateList(v && v.version === 1 && Array.isArray(v.templates) ? v.templates : []);
    } catch {
      return new TemplateList();
    }
  }
}

/**
 * Writes the list to `storage`. Returns null on success or a sentence saying
 * why it was not kept: over this page's own bound, or the browser's storage
 * full. The caller keeps showing the templates either way.
 */
export function saveTemplates(storage, list) {
  if (!storage) return 'This browser does not allow local storage, so templates will not survive a reload.';
  const text = list.serialize();
  if (text.length > MAX_STORED_CHARS) {
    return `Templates take ${Math.ceil(text.length / 1000)} kB, more than the ${MAX_STORED_CHARS / 1000} kB this page keeps: the newest change will not survive a reload. Remove a template to make room.`;
  }
  try {
    storage.setItem(STORAGE_KEY, text);
    return null;
  } catch {
    return 'The browser\u2019s storage for this site is full: the newest change will not survive a reload. Remove a template to make room.';
  }
}

export function loadTemplates(storage) {
  try {
    return TemplateList.parse(storage?.getItem(STORAGE_KEY));
  } catch {
    return new TemplateList();
  }
}
