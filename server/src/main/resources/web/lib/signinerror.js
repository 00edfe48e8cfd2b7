// A refused sign-in in words for the person who tried. The server sends the
// browser back to /app/#signin_error=<code> instead of showing it JSON.

const TEXTS = {
  state_mismatch: 'Sign-in did not complete: it was started in another browser or tab, was already used, or took over 10 minutes. Please sign in again.',
  provider_refused: 'The sign-in provider did not sign you in. Please try again.',
  provider_unreachable: 'The sign-in provider could not be reached. Please try again in a few minutes.',
  token_exchange: 'The sign-in provider did not confirm your sign-in. Please sign in again.',
  token_invalid: 'The sign-in provider sent an identity this canvas cannot accept.',
  token_signature: 'The sign-in provider sent an identity this canvas cannot accept.',
  token_issuer: 'The sign-in provider sent an identity this canvas cannot accept.',
  token_audience: 'The sign-in provider sent an identity meant for another site.',
  token_expired: 'Your sign-in expired before it reached this canvas. Please sign in again.',
  token_nonce: 'Sign-in did not complete: it belongs to another attempt. Please sign in again.',
  account_age_unknown: 'This canvas only accepts accounts whose age the provider tells; this provider does not tell it.',
  account_too_new: 'Your account is too new to sign in here. Please try again later.',
  not_found: 'That sign-in provider is not offered here.',
  internal: 'Signing in failed on this server. Please try again later.',
  busy: 'Too many people are signing in right now. Please try again in a few minutes.',
};

const FALLBACK = 'Signing in failed. Please try again.';

/** The sign-in error code in a location fragment such as `#signin_error=state_mismatch`, or null. */
export function signInErrorOf(hash) {
  return /^#signin_error=([a-z_]{1,40})$/.exec(hash)?.[1] ?? null;
}

/** The words for sign-in error `code`; a generic sentence for codes this page does not know. */
export function signInErrorText(code) {
  return Object.hasOwn(TEXTS, code) ? TEXTS[code] : FALLBACK;
}
