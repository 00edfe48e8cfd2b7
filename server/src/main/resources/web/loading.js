// The notice shown where the canvas will be until it has loaded: while GET
// /canvas is refused (rate limited, server busy) or unreachable it says why,
// counts down to the client's next try, and gives way to the canvas.

import { canvasWaitReason, canvasWaitCountdown } from './lib/canvaswait.js';

/**
 * Follows `client`'s canvas loading on `el.loading`; returns `failed(err)`
 * for a start that gave up, which also marks the status bar offline.
 */
export function followCanvasLoading(client, el) {
  let ticker = null;
  let countdown = null;

  client.on('canvas-wait', ({ status, retryAt }) => {
    const reason = document.createElement('span');
    reason.className = 'loading-reason';
    reason.textContent = canvasWaitReason(status);
    // The reason is announced once; the ticking countdown would only be noise to a screen reader.
    countdown = document.createElement('span');
    countdown.className = 'loading-countdown';
    countdown.setAttribute('aria-hidden', 'true');
    const box = document.createElement('div');
    box.append(reason, ' ', countdown);
    el.loading.dataset.status = String(status);
    el.loading.replaceChildren(box);
    const render = () => (countdown.textContent = canvasWaitCountdown(retryAt, client.now()));
    render();
    clearInterval(ticker);
    ticker = setInterval(render, 250);
  });

  client.on('canvas', () => {
    clearInterval(ticker);
    el.loading.hidden = true;
  });

  return function failed(err) {
    console.error(err);
    clearInterval(ticker);
    el.loading.textContent = 'Could not load the canvas. Is the server running? Reload to try again.';
    el.status.dataset.state = 'offline';
    el.statusText.textContent = 'Offline';
    el.statusSr.textContent = 'Offline: the canvas could not be loaded';
  };
}
