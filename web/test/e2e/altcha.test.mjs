// The server's proof of work against the reference ALTCHA library (altcha-lib,
// its v1 protocol: SHA-256 of salt + number, HMAC-signed challenge, base64
// JSON payload). The server's HMAC key never leaves it, so altcha-lib checks
// the server's challenges up to the signature, and checks the page's solver in
// full on challenges it signs itself.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createChallenge, extractParams, solveChallenge, verifySolution } from 'altcha-lib/v1';
import { startServer } from './server.mjs';
import { solveChallenge as pageSolve, payloadOf } from '../../../server/src/main/resources/web/lib/pow.js';

// Small, so altcha-lib's solver (one awaited digest per try) stays quick; the
// server refuses difficulties under 1000.
const DIFFICULTY = 5_000;

/** A session token and a fresh challenge from the server. */
async function sessionAndChallenge(url) {
  const session = await (await fetch(`${url}/session`, { method: 'POST' })).json();
  const res = await fetch(`${url}/pow/challenge`);
  assert.equal(res.status, 200);
  return { token: session.token, challenge: await res.json() };
}

function redeem(url, token, payload) {
  return fetch(`${url}/pow/solution`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ payload }),
  });
}

/** The payload as the ALTCHA widget submits it: the challenge's fields, the number and `took`. */
function widgetPayload(c, solution) {
  return btoa(JSON.stringify({
    algorithm: c.algorithm, challenge: c.challenge, number: solution.number,
    salt: c.salt, signature: c.signature, took: solution.took,
  }));
}

describe('proof of work is compatible with the reference ALTCHA library', () => {
  let server;

  before(async () => {
    server = await startServer({ CANVAS_WIDTH: '8', CANVAS_HEIGHT: '8', POW_DIFFICULTY: String(DIFFICULTY) });
  });

  after(async () => {
    await server?.stop();
  });

  it('the server issues a challenge in the format altcha-lib reads', async () => {
    const { challenge: c } = await sessionAndChallenge(server.url);
    assert.equal(c.algorithm, 'SHA-256');
    assert.match(c.challenge, /^[0-9a-f]{64}$/);
    assert.match(c.signature, /^[0-9a-f]{64}$/);
    assert.equal(c.maxnumber, DIFFICULTY);
    assert.ok(c.salt.endsWith('&'), 'the salt ends with the delimiter altcha-lib appends');
    const expires = Number(extractParams(c).expires);
    assert.ok(expires * 1000 > Date.now(), `expires=${expires} lies in the future`);
  });

  it("a solution found by altcha-lib's solver is accepted once by POST /pow/solution", async () => {
    const { token, challenge: c } = await sessionAndChallenge(server.url);
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    assert.ok(solution, 'altcha-lib found the number');
    const payload = widgetPayload(c, solution);

    const first = await redeem(server.url, token, payload);
    assert.equal(first.status, 200, await first.clone().text());
    assert.ok((await first.json()).pixels > 0);
    const again = await redeem(server.url, token, payload);
    assert.equal(again.status, 400);
    assert.equal((await again.json()).error, 'pow_replayed');
  });

  it("the page's solver finds the number altcha-lib recomputes the server's challenge from, and the server accepts it", async () => {
    const { token, challenge: c } = await sessionAndChallenge(server.url);
    const number = pageSolve(c);
    assert.ok(Number.isInteger(number), `found ${number}`);
    const payload = JSON.parse(atob(payloadOf(c, number)));
    // altcha-lib's check forgives a salt without its trailing '&' and a number
    // sent as a string; the widget's payload has neither, so neither may ours.
    assert.deepEqual(payload, { algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature });
    // verifySolution up to the signature: altcha-lib rebuilds the challenge
    // from the payload's salt and number; only the HMAC key differs.
    const rebuilt = await createChallenge({ algorithm: payload.algorithm, hmacKey: 'not the server key', number: payload.number, salt: payload.salt });
    assert.equal(rebuilt.challenge, c.challenge);
    assert.equal(rebuilt.salt, c.salt);
    const answer = await redeem(server.url, token, payloadOf(c, number));
    assert.equal(answer.status, 200, await answer.text());
  });

  it("the page's solver and payload pass altcha-lib's verifySolution on a challenge altcha-lib signed", async () => {
    const hmacKey = 'a key only this test knows';
    const c = await createChallenge({ hmacKey, maxnumber: DIFFICULTY, expires: new Date(Date.now() + 60_000) });
    const number = pageSolve(c);
    assert.equal(await verifySolution(payloadOf(c, number), hmacKey), true);
    assert.equal(await verifySolution(payloadOf(c, number + 1), hmacKey), false);
  });
});
