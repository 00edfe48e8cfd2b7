import test from 'node:test';
import assert from 'node:assert/strict';
import { quantize, rgbToOklab, PaletteMatcher, TRANSPARENT, countColors } from '../../../server/src/main/resources/web/lib/quantize.js';
import { TemplateList, normalizeTemplate, saveTemplates, loadTemplates, sizeProblem, safeImageUrl, MAX_TEMPLATES, MAX_STORED_CHARS, STORAGE_KEY } from '../../../server/src/main/resources/web/lib/template.js';
import { TemplateProgress, formatProgress } from '../../../server/src/main/resources/web/lib/templateprogress.js';
import { buildShareHash, parseShareHash } from '../../../server/src/main/resources/web/lib/templatelink.js';
import { hexToRgb } from '../../../server/src/main/resources/web/lib/palette.js';

const PALETTE = ['#FFFFFF', '#E4E4E4', '#888888', '#222222', '#FFA7D1', '#E50000', '#E59500', '#A06A42',
  '#E5D900', '#94E044', '#02BE01', '#00D3DD', '#0083C7', '#0000EA', '#CF6EE4', '#820080'];

function rgbaOf(hexes, alpha = 255) {
  const out = new Uint8ClampedArray(hexes.length * 4);
  hexes.forEach((h, i) => out.set([...hexToRgb(h), alpha], i * 4));
  return out;
}

function nearestByRgb(hex) {
  const [r, g, b] = hexToRgb(hex);
  let best = 0, bestD = Infinity;
  PALETTE.forEach((p, i) => {
    const [R, G, B] = hexToRgb(p);
    const d = (R - r) ** 2 + (G - g) ** 2 + (B - b) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  });
  return PALETTE[best];
}

// ------------------------------------------------------------ quantisation

test('OKLab of white is L 1 with no colour, of black L 0, of sRGB red the published value', () => {
  const close = (got, want) => got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-3, `${got} vs ${want}`));
  close(rgbToOklab(255, 255, 255), [1, 0, 0]);
  close(rgbToOklab(0, 0, 0), [0, 0, 0]);
  close(rgbToOklab(255, 0, 0), [0.62796, 0.22486, 0.12585]);
});

test('every palette colour converts to itself', () => {
  const { indices, counts } = quantize(rgbaOf(PALETTE), PALETTE.length, 1, PALETTE);
  assert.deepEqual([...indices], PALETTE.map((_, i) => i));
  assert.deepEqual(counts, PALETTE.map(() => 1));
});

test('test vectors: colours go to their perceptually nearest palette colour, not the nearest in RGB', () => {
  const vectors = [
    ['#FFFF80', '#E5D900'], // pale yellow stays yellow; RGB distance says light grey
    ['#5050FF', '#0000EA'], // a mid blue is the blue; RGB distance says the sky blue
    ['#80C0FF', '#00D3DD'], // a light blue is the cyan; RGB distance says light grey
    ['#B00000', '#E50000'],
    ['#00A000', '#02BE01'],
    ['#101050', '#222222'],
    ['#FFC0C0', '#FFA7D1'],
  ];
  const { indices } = quantize(rgbaOf(vectors.map((v) => v[0])), vectors.length, 1, PALETTE);
  assert.deepEqual([...indices].map((i) => PALETTE[i]), vectors.map((v) => v[1]));
  // The first three really are cases where RGB distance would get it wrong.
  for (const [input, want] of vectors.slice(0, 3)) assert.notEqual(nearestByRgb(input), want, input);
});

test('transparent and mostly transparent pixels stay transparent and are not counted', () => {
  const rgba = new Uint8ClampedArray([0, 0, 0, 0, 255, 0, 0, 127, 229, 0, 0, 128, 0, 0, 0, 255]);
  const { indices, counts, opaque } = quantize(rgba, 4, 1, PALETTE);
  assert.deepEqual([...indices], [TRANSPARENT, TRANSPARENT, 5, 3]);
  assert.equal(opaque, 2);
  assert.equal(counts.reduce((a, b) => a + b), 2);
});

test('without dithering a flat colour stays one colour; with dithering a grey between black and white mixes both', () => {
  const W = 16, H = 16;
  const grey = rgbaOf(new Array(W * H).fill('#777777'));
  const bw = ['#000000', '#FFFFFF'];
  const flat = quantize(grey, W, H, bw);
  assert.equal(Math.max(...flat.counts) , W * H);
  const dithered = quantize(grey, W, H, bw, { dither: true });
  assert.ok(dithered.counts[0] > W * H * 0.25 && dithered.counts[1] > W * H * 0.25, `counts ${dithered.counts}`);
  assert.equal(dithered.counts[0] + dithered.counts[1], W * H);
});

test('colour counts ignore transparent pixels', () => {
  assert.deepEqual(countColors(Int16Array.from([0, 0, TRANSPARENT, 2]), 3), [2, 0, 1]);
});

test('the matcher remembers answers but gives the same answer either way', () => {
  const m = new PaletteMatcher(PALETTE);
  assert.equal(m.nearest(128, 192, 255), m.nearest(128, 192, 255));
  assert.equal(m.nearest(128, 192, 255), m.nearestLab(...rgbToOklab(128, 192, 255)));
});

// ------------------------------------------------------------ template model

const IMG = 'data:image/png;base64,AAAA';
const tpl = (id, extra = {}) => ({ id, name: id, x: 1, y: 2, width: 3, height: 4, image: IMG, ...extra });

test('a template is validated and defaulted; bad ones are refused', () => {
  const t = normalizeTemplate(tpl('a'));
  assert.deepEqual({ enabled: t.enabled, mode: t.mode, opacity: t.opacity, dither: t.dither, url: t.url }, { enabled: true, mode: 'image', opacity: 0.6, dither: false, url: null });
  assert.equal(normalizeTemplate(tpl('a', { x: 1.5 })), null);
  assert.equal(normalizeTemplate(tpl('a', { width: 0 })), null);
  assert.equal(normalizeTemplate(tpl('a', { image: 'javascript:alert(1)' })), null);
  assert.equal(normalizeTemplate(tpl('a', { url: 'javascript:alert(1)' })), null);
  assert.equal(normalizeTemplate(tpl('a b')), null);
  assert.equal(normalizeTemplate(tpl('a', { mode: 'weird' })).mode, 'image');
});

test('templates are added on top, reordered, toggled and removed', () => {
  const list = new TemplateList();
  list.add(tpl('a'));
  list.add(tpl('b'));
  list.add(tpl('c'));
  assert.deepEqual(list.items.map((t) => t.id), ['c', 'b', 'a']);
  assert.ok(list.move('a', -1));
  assert.deepEqual(list.items.map((t) => t.id), ['c', 'a', 'b']);
  assert.equal(list.move('c', -1), false);
  assert.equal(list.move('b', 1), false);
  assert.equal(list.update('a', { enabled: false }).enabled, false);
  assert.equal(list.update('a', { x: 'nope' }), null);
  assert.equal(list.get('a').x, 1);
  assert.ok(list.remove('b'));
  assert.equal(list.remove('b'), false);
  assert.deepEqual(list.items.map((t) => t.id), ['c', 'a']);
});

test('the list holds at most MAX_TEMPLATES templates and no duplicate ids', () => {
  const list = new TemplateList();
  for (let i = 0; i < MAX_TEMPLATES; i++) list.add(tpl(`t${i}`));
  assert.throws(() => list.add(tpl('extra')), /At most/);
  assert.throws(() => new TemplateList([tpl('a')]).add(tpl('a')), /already exists/);
});

test('the list survives storage, and garbage in storage gives an empty list', () => {
  const mem = new Map();
  const storage = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => mem.set(k, v) };
  const list = new TemplateList([tpl('a', { url: 'https://example.org/a.png', mode: 'dots' }), tpl('b')]);
  assert.equal(saveTemplates(storage, list), null);
  assert.deepEqual(loadTemplates(storage).items, list.items);
  mem.set(STORAGE_KEY, '{not json');
  assert.deepEqual(loadTemplates(storage).items, []);
  mem.set(STORAGE_KEY, JSON.stringify({ version: 1, templates: [tpl('ok'), { id: 'bad' }] }));
  assert.deepEqual(loadTemplates(storage).items.map((t) => t.id), ['ok']);
});

test('a list over the bound, or a full browser storage, is not kept and says so in words', () => {
  const storage = { setItem() { throw new DOMException('full', 'QuotaExceededError'); } };
  assert.match(saveTemplates(storage, new TemplateList([tpl('a')])), /storage for this site is full/);
  const written = [];
  const big = new TemplateList([tpl('a', { image: 'data:image/png;base64,' + 'A'.repeat(MAX_STORED_CHARS) })]);
  assert.match(saveTemplates({ setItem: (k, v) => written.push(v) }, big), /more than the 2500 kB/);
  assert.equal(written.length, 0);
  assert.match(saveTemplates(null, big), /does not allow local storage/);
});

test('an image larger than the canvas is refused with its size and the limit', () => {
  assert.equal(sizeProblem(100, 100, 100, 100), null);
  assert.match(sizeProblem(101, 50, 100, 100), /101 × 50 pixels, larger than the 100 × 100 canvas/);
  assert.match(sizeProblem(0, 0, 100, 100), /empty/);
});

test('only http and https image addresses are accepted', () => {
  assert.equal(safeImageUrl('https://example.org/a.png'), 'https://example.org/a.png');
  assert.equal(safeImageUrl('/a.png', 'http://localhost:8080/app/'), 'http://localhost:8080/a.png');
  assert.equal(safeImageUrl('javascript:alert(1)'), null);
  assert.equal(safeImageUrl('data:image/png;base64,AAAA'), null);
  assert.equal(safeImageUrl('https://example.org/' + 'a'.repeat(3000)), null);
});

// ------------------------------------------------------------ progress

function canvas(w, h) {
  const data = new Int16Array(w * h);
  return { w, h, data, read: (x, y) => data[y * w + x], set(x, y, i) { data[y * w + x] = i; } };
}

test('progress counts the template pixels the canvas already shows; transparent and off-canvas pixels do not count', () => {
  const c = canvas(10, 10);
  c.set(5, 5, 3);
  // A 3 × 2 template at (4, 5): row 0 wants 3,3,-, row 1 wants 1,1,1.
  const t = Int16Array.from([3, 3, TRANSPARENT, 1, 1, 1]);
  const p = new TemplateProgress(t, 3, 4, 5, 10, 10, c.read);
  assert.deepEqual([p.correct, p.total], [1, 5]);
  const edge = new TemplateProgress(t, 3, 8, 9, 10, 10, c.read); // only (8,9) and (9,9) are on the canvas
  assert.equal(edge.total, 2);
});

test('updates adjust the count one pixel at a time, both ways, and report only real changes', () => {
  const c = canvas(10, 10);
  const t = Int16Array.from([3, 3, TRANSPARENT, 1, 1, 1]);
  const p = new TemplateProgress(t, 3, 4, 5, 10, 10, c.read);
  assert.equal(p.correct, 0);
  c.set(4, 5, 3);
  assert.equal(p.update(4, 5), true);
  assert.equal(p.correct, 1);
  assert.equal(p.update(4, 5), false, 'the same pixel again changes nothing');
  c.set(6, 5, 9);
  assert.equal(p.update(6, 5), false, 'transparent template pixels are not counted');
  c.set(0, 0, 3);
  assert.equal(p.update(0, 0), false, 'outside the template');
  c.set(4, 5, 2);
  assert.equal(p.update(4, 5), true);
  assert.equal(p.correct, 0, 'painting over a right pixel makes it wrong again');
});

test('a stream of random updates keeps the incremental count equal to a full recount, without reading the rest of the canvas', () => {
  const W = 64, H = 48;
  const c = canvas(W, H);
  let seed = 7;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const t = Int16Array.from({ length: 20 * 30 }, () => (rnd(5) === 0 ? TRANSPARENT : rnd(4)));
  let reads = 0;
  const read = (x, y) => (reads++, c.read(x, y));
  const p = new TemplateProgress(t, 20, 50, 30, W, H, read);
  for (let batch = 0; batch < 200; batch++) {
    const pixels = Array.from({ length: 25 }, () => ({ x: rnd(W), y: rnd(H), i: rnd(4) }));
    for (const q of pixels) c.set(q.x, q.y, q.i);
    reads = 0;
    for (const q of pixels) p.update(q.x, q.y);
    assert.ok(reads <= pixels.length, `a batch of ${pixels.length} read ${reads} canvas pixels`);
  }
  const incremental = p.correct;
  p.recount();
  assert.equal(incremental, p.correct);
  assert.ok(p.total > 0 && p.total < 20 * 30);
});

test('next wrong pixel walks the template in reading order and gives null when all is right', () => {
  const c = canvas(10, 10);
  const t = Int16Array.from([3, 3, TRANSPARENT, 1, 1, 1]);
  const p = new TemplateProgress(t, 3, 4, 5, 10, 10, c.read);
  assert.deepEqual(p.nextWrong(), { x: 4, y: 5, index: 3 });
  c.set(4, 5, 3);
  p.update(4, 5);
  assert.deepEqual(p.nextWrong(), { x: 5, y: 5, index: 3 });
  for (const [x, y, i] of [[5, 5, 3], [4, 6, 1], [5, 6, 1], [6, 6, 1]]) {
    c.set(x, y, i);
    p.update(x, y);
  }
  assert.equal(p.nextWrong(), null);
  assert.equal(p.correct, p.total);
});

test('next wrong pixel passes over pixels the caller skips, such as locked ones', () => {
  const c = canvas(10, 10);
  const t = Int16Array.from([3, 3, TRANSPARENT, 1, 1, 1]);
  const p = new TemplateProgress(t, 3, 4, 5, 10, 10, c.read);
  assert.deepEqual(p.nextWrong((x, y) => y === 5), { x: 4, y: 6, index: 1 });
  assert.equal(p.nextWrong(() => true), null);
});

test('progress reads like "1,234 of 5,000 pixels correct (24.7 %)" and reaches 100 % only when done', () => {
  assert.equal(formatProgress(1234, 5000), '1,234 of 5,000 pixels correct (24.7 %)');
  assert.equal(formatProgress(0, 12), '0 of 12 pixels correct (0.0 %)');
  assert.equal(formatProgress(9999, 10000), '9,999 of 10,000 pixels correct (99.9 %)');
  assert.equal(formatProgress(99999, 100000), '99,999 of 100,000 pixels correct (99.9 %)');
  assert.equal(formatProgress(1000000, 1000000), '1,000,000 of 1,000,000 pixels correct (100.0 %)');
  assert.equal(formatProgress(0, 0), 'No template pixels on the canvas');
});

// ------------------------------------------------------------ share link

test('a share link carries the address, position and mode, and reads back the same', () => {
  const url = 'https://example.org/art/my template.png?v=2&x=9#frag';
  const hash = buildShareHash({ url, x: 100, y: -3, mode: 'dots' });
  assert.ok(hash.startsWith('#template=https%3A%2F%2Fexample.org'));
  assert.deepEqual(parseShareHash(hash), { url: new URL(url).href, x: 100, y: -3, mode: 'dots' });
  assert.equal(buildShareHash({ url: 'http://a.test/p.png', x: 1, y: 2, mode: 'image' }), '#template=http%3A%2F%2Fa.test%2Fp.png&x=1&y=2');
});

test('a fragment without a template is not a share link; a bad one says what is wrong', () => {
  assert.equal(parseShareHash(''), null);
  assert.equal(parseShareHash('#x=1&y=2'), null);
  assert.match(parseShareHash('#template=javascript%3Aalert(1)&x=1&y=1').error, /http\(s\)/);
  assert.match(parseShareHash('#template=https%3A%2F%2Fa.test%2Fp.png&x=1.5&y=1').error, /whole number/);
  assert.match(parseShareHash('#template=https%3A%2F%2Fa.test%2Fp.png&y=1').error, /x and y/);
  assert.equal(parseShareHash('#template=https%3A%2F%2Fa.test%2Fp.png&x=1&y=2&mode=nonsense').mode, 'image');
  assert.equal(parseShareHash('#template=%2Fimg%2Fp.png&x=1&y=2', 'http://localhost:1/app/').url, 'http://localhost:1/img/p.png');
});
