import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { solveChallenge, payloadOf } from '../../../server/src/main/resources/web/lib/pow.js';

/** A challenge made the way ALTCHA's server libraries make one. */
function altchaChallenge(number, maxnumber) {
  const salt = `${crypto.randomBytes(12).toString('hex')}?expires=${Math.floor(Date.now() / 1000) + 300}&`;
  const challenge = crypto.createHash('sha256').update(salt + number).digest('hex');
  const signature = crypto.createHmac('sha256', 'key').update(challenge).digest('hex');
  return { algorithm: 'SHA-256', challenge, maxnumber, salt, signature };
}

test('the solver finds the secret number of an ALTCHA challenge', () => {
  const c = altchaChallenge(4321, 10_000);
  assert.equal(solveChallenge(c), 4321);
});

test('the solver gives up past maxnumber', () => {
  const c = altchaChallenge(500, 100);
  assert.equal(solveChallenge(c), null);
});

test('the payload is base64 JSON with the fields the server checks', () => {
  const c = altchaChallenge(7, 10);
  const decoded = JSON.parse(Buffer.from(payloadOf(c, 7), 'base64').toString());
  assert.deepEqual(decoded, { algorithm: 'SHA-256', challenge: c.challenge, number: 7, salt: c.salt, signature: c.signature });
});

test('the solver agrees with a plain SHA-256 for salts that span two blocks', () => {
  const c = altchaChallenge(98765, 100_000);
  c.salt = 'x'.repeat(60) + c.salt;
  c.challenge = crypto.createHash('sha256').update(c.salt + 98765).digest('hex');
  assert.equal(solveChallenge(c), 98765);
});

test('the solver tries a hundred thousand numbers in well under a second', () => {
  const c = altchaChallenge(100_000, 100_000);
  const started = performance.now();
  assert.equal(solveChallenge(c), 100_000);
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `${ms} ms`);
});
