// Proof of work before painting, when the server asks for it: solves the
// server's challenge in a Web Worker while the canvas loads, redeems it for
// the page's session, and solves again when the server says the solution is
// spent (after its pixels or minutes). A server without proof of work answers
// 404 to /pow/challenge and this does nothing more.
import { payloadOf } from './lib/pow.js';

/**
 * @param {import('./lib/sync.js').CanvasClient} client
 * @param {object} opts
 * @param {string} opts.httpBase
 * @returns {{status: {state: string, ms: number|null}, solve: () => Promise<void>}}
 *   state is 'starting', 'off', 'solving', 'ready' or 'failed'; ms is the last solve's time in the worker
 */
export function setUpProofOfWork(client, { httpBase }) {
  const status = { state: 'starting', ms: null };
  const onState = (state, detail = {}) => {
    Object.assign(status, { state }, detail);
    document.documentElement.dataset.pow = state;
  };
  let solving = null;
  let renewTimer = null;

  async function solveOnce() {
    const res = await fetch(`${httpBase}/pow/challenge`, { cache: 'no-store' });
    if (res.status === 404) {
      onState('off');
      return;
    }
    if (!res.ok) throw new Error(`challenge: HTTP ${res.status}`);
    const challenge = await res.json();
    onState('solving');
    const { number, ms } = await inWorker(challenge);
    if (number === null) throw new Error('no solution found');
    const token = await sessionToken();
    const answer = await fetch(`${httpBase}/pow/solution`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ payload: payloadOf(challenge, number) }),
    });
    if (!answer.ok) throw new Error(`solution: HTTP ${answer.status}`);
    const granted = await answer.json();
    onState('ready', { ms, pixels: granted.pixels, until: granted.until });
    clearTimeout(renewTimer);
    // Solve again a little before the solution runs out of time.
    const left = Date.parse(granted.until) - Date.now() - 30_000;
    if (left > 0) renewTimer = setTimeout(solve, left);
  }

  function solve() {
    if (!solving) {
      solving = solveOnce()
        .catch((err) => {
          console.warn('proof of work failed:', err);
          onState('failed');
        })
        .finally(() => (solving = null));
    }
    return solving;
  }

  async function sessionToken() {
    for (let i = 0; i < 100 && !client.session?.token; i++) await new Promise((r) => setTimeout(r, 50));
    return client.session?.token;
  }

  client.on('reject', (r) => {
    if (r.reason === 'pow_required') solve();
  });
  solve();
  return { status, solve };
}

function inWorker(challenge) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pow-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage(challenge);
  });
}
