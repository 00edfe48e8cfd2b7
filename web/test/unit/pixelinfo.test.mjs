import test from 'node:test';
import assert from 'node:assert/strict';
import {
  lookupPath, heatmapPath, timeAgo, describeLookup, lookupErrorText, VIRGIN_PATH,
} from '../../../server/src/main/resources/web/lib/pixelinfo.js';

const COLORS = ['#FFFFFF', '#E4E4E4', '#888888', '#222222', '#FFA7D1', '#E50000'];
const NOW = Date.parse('2026-03-01T12:10:00Z');

test('lookup and overlay paths', () => {
  assert.equal(lookupPath(3, 4), '/pixels/3/4');
  assert.equal(lookupPath(3.7, 4.2), '/pixels/3/4');
  assert.equal(heatmapPath(), '/canvas/heatmap?window=1h');
  assert.equal(heatmapPath('24h'), '/canvas/heatmap?window=24h');
  assert.equal(VIRGIN_PATH, '/canvas/virgin');
});

test('ages read as words', () => {
  assert.equal(timeAgo(NOW - 3_000, NOW), 'just now');
  assert.equal(timeAgo(NOW - 42_000, NOW), '42 s ago');
  assert.equal(timeAgo(NOW - 5 * 60_000, NOW), '5 min ago');
  assert.equal(timeAgo(NOW - 3 * 3_600_000, NOW), '3 h ago');
  assert.equal(timeAgo(NOW - 3 * 86_400_000, NOW), '3 days ago');
  assert.equal(timeAgo(NOW + 5_000, NOW), 'just now');
});

test('a placement is described with time, colour, pseudonym and count', () => {
  const card = describeLookup({ x: 3, y: 4, changes: 2,
    placement: { seq: 9, time: Date.parse('2026-03-01T12:00:00Z'), color: 5, tool: 'brush', by: 'painter-abc' } },
  COLORS, NOW);
  assert.equal(card.title, 'Pixel (3, 4)');
  assert.equal(card.color, '#E50000');
  assert.deepEqual(card.rows.map((r) => r.label), ['Placed', 'Colour', 'By', 'Changes']);
  assert.match(card.rows[0].value, /^10 min ago \(2026-03-01 12:00:00 UTC\)$/);
  assert.equal(card.rows[2].value, 'painter-abc');
  assert.equal(card.rows[3].value, '2');
});

test('without a pseudonym no user row is shown; admins see the id; repairs are named', () => {
  const hidden = describeLookup({ x: 0, y: 0, changes: 1, placement: { seq: 1, time: NOW, color: 0, tool: 'brush' } },
    COLORS, NOW);
  assert.ok(!hidden.rows.some((r) => r.label === 'By' || r.label === 'User id'));
  const admin = describeLookup({ x: 0, y: 0, changes: 4,
    placement: { seq: 1, time: NOW, color: 0, tool: 'rollback', by: 'painter-x', userId: 'anon-1' } }, COLORS, NOW);
  assert.deepEqual(admin.rows.map((r) => r.label), ['Placed', 'Colour', 'By', 'User id', 'Tool', 'Changes']);
  assert.equal(admin.rows[4].value, 'moderator rollback');
});

test('a pixel never painted says so', () => {
  const card = describeLookup({ x: 1, y: 2, changes: 0, placement: null }, COLORS, NOW);
  assert.equal(card.color, null);
  assert.deepEqual(card.rows, [{ label: 'Placed', value: 'never painted' }, { label: 'Changes', value: '0' }]);
});

test('refused lookups are put in words', () => {
  assert.equal(lookupErrorText(429, '37', null), 'Too many lookups, try again in 37 s.');
  assert.equal(lookupErrorText(429, null, null), 'Too many lookups, try again shortly.');
  assert.equal(lookupErrorText(503, '1', null), 'Pixel info is still loading on the server; try again in 1 s.');
  assert.equal(lookupErrorText(400, null, { message: 'x must be …' }), 'x must be …');
  assert.equal(lookupErrorText(500, null, null), 'Pixel info is unavailable (HTTP 500).');
});
