import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInErrorOf, signInErrorText } from '../../../server/src/main/resources/web/lib/signinerror.js';

const SIGNIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/src/main/java/dev/pixels/signin');

test('the error code is read only from a fragment that is exactly signin_error=<code>', () => {
  assert.equal(signInErrorOf('#signin_error=state_mismatch'), 'state_mismatch');
  assert.equal(signInErrorOf('#signin_error=<b>'), null);
  assert.equal(signInErrorOf('#session=abc'), null);
  assert.equal(signInErrorOf(''), null);
});

test('every code the server refuses a sign-in with has its own words', () => {
  const codes = new Set();
  for (const file of fs.readdirSync(SIGNIN)) {
    const source = fs.readFileSync(path.join(SIGNIN, file), 'utf8');
    for (const m of source.matchAll(/(?:SignInRefused\(|refuse\(ctx, [^,]+, )"([a-z_]+)"/g)) codes.add(m[1]);
  }
  assert.ok(codes.has('state_mismatch') && codes.has('token_expired'), [...codes].join());
  const fallback = signInErrorText('no_such_code');
  for (const code of codes) assert.notEqual(signInErrorText(code), fallback, code);
});

test('an unknown code, even a name on every object, gets the generic sentence', () => {
  assert.equal(signInErrorText('constructor'), signInErrorText('no_such_code'));
  assert.match(signInErrorText('no_such_code'), /Signing in failed/);
});
