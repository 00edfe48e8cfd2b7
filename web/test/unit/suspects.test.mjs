import test from 'node:test';
import assert from 'node:assert/strict';
import {
  SUSPECT_ACTIONS, scoreText, rhythmText, signalTexts, contextText, actionRequest, confirmText, resultText,
} from '../../../server/src/main/resources/web/lib/suspects.js';

// As SuspectRoutes answers it, with proof of work on.
const bot = {
  userId: 'user-bot',
  lastIp: '127.0.0.1',
  score: 2.8532,
  signals: { placements: 12, intervalCv: 0.024, meanIntervalMs: 100, noBootstrapShare: 0.5, noSession: false },
  firstAt: '2026-11-29T01:00:00.123Z',
  lastAt: '2026-11-29T01:00:01.223Z',
  actions: {
    ban: { method: 'POST', path: '/admin/bans', body: { userId: 'user-bot', reason: 'bot signals' } },
    rollback: { method: 'POST', path: '/admin/rollback', body: { userId: 'user-bot', since: '2026-11-29T01:00:00.123Z' } },
    requireProofOfWork: { method: 'POST', path: '/admin/pow/revoke', body: { userId: 'user-bot' } },
  },
};
const action = (key) => SUSPECT_ACTIONS.find((a) => a.key === key);

test('the score reads as a share of the highest possible', () => {
  assert.equal(scoreText(2.8532), '2.85 of 6');
  assert.equal(scoreText(undefined), '? of 6');
});

test('each signal is a sentence, the rhythm judged only after enough intervals', () => {
  assert.deepEqual(signalTexts(bot), [
    "Near-constant rhythm: one pixel every 100 ms on average, intervals vary by 2% (a timer's tell).",
    '50% of pixels came from an address that had not loaded the canvas.',
    'Painted with a session token.',
  ]);
  assert.equal(rhythmText({ placements: 5, intervalCv: 0.01, meanIntervalMs: 100 }), 'Too few pixels (5) to judge their rhythm.');
  assert.equal(rhythmText({ placements: 1, intervalCv: null, meanIntervalMs: null }), 'Too few pixels (1) to judge their rhythm.');
  assert.match(rhythmText({ placements: 30, intervalCv: 0.3, meanIntervalMs: 900 }), /^Fairly regular rhythm: .* vary by 30%\.$/);
  assert.match(rhythmText({ placements: 30, intervalCv: 1.2, meanIntervalMs: 4000 }), /^Irregular rhythm, like a person/);
  const person = { ...bot, signals: { placements: 3, intervalCv: null, meanIntervalMs: null, noBootstrapShare: 0, noSession: true } };
  assert.deepEqual(signalTexts(person).slice(1), ['Every pixel came from an address that had loaded the canvas.', 'Painted without a session token.']);
  assert.equal(contextText(bot), '12 pixels from 127.0.0.1, 2026-11-29 01:00:00Z – 2026-11-29 01:00:01Z.');
});

test('only the documented request for the same user is sent, and none when the server offers none', () => {
  assert.deepEqual(actionRequest(bot, action('requireProofOfWork')), { method: 'POST', path: '/admin/pow/revoke', body: { userId: 'user-bot' } });
  assert.deepEqual(actionRequest(bot, action('ban')).body, { userId: 'user-bot', reason: 'bot signals' });
  const powOff = { ...bot, actions: { ban: bot.actions.ban, rollback: bot.actions.rollback } };
  assert.equal(actionRequest(powOff, action('requireProofOfWork')), null);
  const elsewhere = { ...bot, actions: { ...bot.actions, ban: { method: 'POST', path: '/locks', body: { userId: 'user-bot' } } } };
  assert.equal(actionRequest(elsewhere, action('ban')), null);
  const deleting = { ...bot, actions: { ...bot.actions, ban: { ...bot.actions.ban, method: 'DELETE' } } };
  assert.equal(actionRequest(deleting, action('ban')), null);
  const someoneElse = { ...bot, actions: { ...bot.actions, rollback: { ...bot.actions.rollback, body: { userId: 'user-other', since: bot.firstAt } } } };
  assert.equal(actionRequest(someoneElse, action('rollback')), null);
});

test('the confirmation says what happens and the result says what happened', () => {
  const ask = (key) => confirmText(bot, action(key), actionRequest(bot, action(key)));
  assert.equal(ask('requireProofOfWork'), 'Require user-bot to solve a new proof of work before their next pixel?');
  assert.equal(ask('ban'), 'Ban user-bot permanently (reason "bot signals")?');
  assert.match(ask('rollback'), /^Roll back every pixel of user-bot since 2026-11-29T01:00:00\.123Z\?/);
  assert.equal(resultText(bot, action('requireProofOfWork'), { userId: 'user-bot', hadSolution: true }), 'user-bot must solve a new proof of work before their next pixel.');
  assert.match(resultText(bot, action('requireProofOfWork'), { hadSolution: false }), /had no solution to end/);
  assert.equal(resultText(bot, action('ban'), { id: 'ban-1', userId: 'user-bot' }), 'Banned user-bot (ban-1).');
  assert.equal(resultText(bot, action('rollback'), { pixelsChanged: 12, fromSeq: 5, toSeq: 16 }), 'Rolled back 12 pixels of user-bot (seqs 5–16).');
});
