// The connection status and the paint allowance in the top bar, kept current
// from the client's events.

import { seconds } from './lib/messages.js';

/** Keeps `el.status*` and `el.rate*` showing `client`'s connection and rate state. */
export function followStatus(client, el) {
  let statusTicker = null;
  let lastStatusSr = '';
  function renderStatus() {
    const { status, rttMs, retryAt } = client;
    el.status.dataset.state = status;
    document.body.dataset.connection = status;
    const wait = retryAt ? Math.max(0, retryAt - Date.now()) : 0;
    let text;
    if (status === 'connected') text = rttMs === null ? 'Connected' : `Connected · ${rttMs} ms`;
    else if (status === 'connecting') text = 'Connecting…';
    else if (status === 'reconnecting') text = wait > 0 ? `Reconnecting in ${seconds(wait)} s…` : 'Reconnecting…';
    else text = !client.online ? 'Offline' : wait > 0 ? `Offline · retrying in ${seconds(wait)} s` : 'Offline · retrying…';
    el.statusText.textContent = text;
    el.status.title = rttMs === null ? text : `${text} (round trip from heartbeats)`;
    el.retry.hidden = status === 'connected' || status === 'connecting' || !client.online;
    // Screen readers hear state changes, not every latency sample.
    const sr = { connected: 'Connected', connecting: 'Connecting', reconnecting: 'Connection lost, reconnecting', offline: 'Offline' }[status];
    if (sr !== lastStatusSr) {
      lastStatusSr = sr;
      el.statusSr.textContent = sr;
    }
    clearInterval(statusTicker);
    if (status !== 'connected') statusTicker = setInterval(renderStatus, 500);
  }

  function renderRate() {
    const cap = client.rate.capacity();
    const cooldown = client.rate.cooldownMs();
    const left = client.rate.remaining();
    el.rateMeter.max = cap || 1;
    el.rateMeter.value = cap ? Math.min(left, cap) : 1;
    el.rateMeter.low = Math.max(1, Math.floor(cap / 4));
    el.rateMeter.optimum = cap;
    el.rate.dataset.cooldown = String(cooldown > 0);
    el.rateText.textContent = cooldown > 0 ? `wait ${seconds(cooldown)} s` : client.rate.unlimited ? 'unlimited' : `${left}/${cap}`;
    const queued = client.queue.length;
    el.rate.title = `${left} of ${cap} pixels available now${queued ? `, ${queued} queued from your stroke` : ''}`;
  }

  client.on('status', renderStatus);
  client.on('rate', renderRate);
  client.on('queue', renderRate);
  // The allowance refills with time, not only on events.
  setInterval(renderRate, 250);
  renderStatus();
  renderRate();
}
