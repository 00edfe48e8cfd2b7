// Sign-in with the server's OpenID Connect providers, when it has any. The
// server ends a sign-in by sending the browser to /app/#session=<base64url
// JSON>; that session is stored where the canvas client looks for its own
// before it connects, so this module must be imported before the client
// starts. A refused sign-in comes back as /app/#signin_error=<code>, shown
// in words. The fragment never reaches a server, and is removed from the
// address bar at once.
import { signInErrorOf, signInErrorText } from './lib/signinerror.js';

const SESSION_KEY = 'pixels.session';

function takeSessionFromFragment() {
  const m = /^#session=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return;
  try {
    const json = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
    const s = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    if (typeof s?.token === 'string') localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  } catch (err) {
    console.warn('sign-in: unreadable session', err);
  }
  history.replaceState(null, '', location.pathname + location.search);
}

takeSessionFromFragment();
const refused = signInErrorOf(location.hash);
if (refused) history.replaceState(null, '', location.pathname + location.search);

/**
 * Shows who is signed in, or a button per provider, in the top bar, and
 * why a sign-in that just came back was refused.
 * @param {import('./lib/sync.js').CanvasClient} client
 * @param {{httpBase?: string, toast?: Function}} [options]
 */
export async function setUpSignIn(client, { httpBase = location.origin, toast } = {}) {
  if (refused) toast?.('signin_error', signInErrorText(refused), { kind: 'error', ttl: 15_000 });
  let providers;
  try {
    const res = await fetch(`${httpBase}/auth/providers`, { cache: 'no-store' });
    if (!res.ok) return;
    providers = (await res.json()).providers ?? [];
  } catch {
    return;
  }
  if (!providers.length) return;
  const box = document.createElement('div');
  box.className = 'signin';
  box.id = 'signin';
  document.querySelector('.topbar')?.insertBefore(box, document.querySelector('.topbar .help'));
  const saved = readSaved();
  if (saved?.name && String(saved.userId).includes(':')) {
    const who = document.createElement('span');
    who.id = 'signed-in-as';
    who.textContent = saved.name;
    who.title = `Signed in with ${saved.provider ?? 'a provider'}`;
    const out = document.createElement('button');
    out.type = 'button';
    out.className = 'link-button';
    out.textContent = 'Sign out';
    out.addEventListener('click', () => {
      localStorage.removeItem(SESSION_KEY);
      client.stop();
      location.reload();
    });
    box.append(who, ' ', out);
    return;
  }
  for (const p of providers) {
    const a = document.createElement('a');
    a.className = 'link-button';
    a.href = `${httpBase}${p.login}`;
    a.textContent = `Sign in with ${p.name}`;
    box.append(a, ' ');
  }
}

function readSaved() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}
