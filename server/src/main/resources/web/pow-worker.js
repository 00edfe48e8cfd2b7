// Solves one proof-of-work challenge off the page's thread, so painting and
// panning never wait for it.
import { solveChallenge } from './lib/pow.js';

self.onmessage = (event) => {
  const started = performance.now();
  const number = solveChallenge(event.data);
  self.postMessage({ number, ms: performance.now() - started });
};
