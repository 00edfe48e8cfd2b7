// The history scrubber: a slider over the canvas's lifetime that shows the
// canvas as it was at each history point (GET /history), drawn on a layer of
// its own over the live board, and a Live button that hides the layer again.
// The live board keeps updating underneath, so returning to live is instant.

import { parseIndex, atPosition, positionLabel, LatestOnly, Lru } from './lib/history.js';

/** Adds the scrubber to `container` for the board canvas `board` of `client`. */
export function mountHistory({ client, board, container }) {
  const bar = document.createElement('div');
  bar.className = 'history';
  bar.innerHTML = `
    <button type="button" class="history-toggle" aria-expanded="false" aria-controls="history-panel">History</button>
    <div id="history-panel" class="history-panel" hidden>
      <input id="history-slider" type="range" min="0" max="0" step="1" value="0" aria-label="Canvas history">
      <output id="history-label" class="history-label" for="history-slider" aria-live="polite">Live</output>
      <button type="button" class="history-live">Live</button>
    </div>`;
  container.append(bar);
  const toggle = bar.querySelector('.history-toggle');
  const panel = bar.querySelector('.history-panel');
  const slider = bar.querySelector('#history-slider');
  const label = bar.querySelector('#history-label');

  const layer = document.createElement('canvas');
  layer.id = 'history-board';
  layer.className = board.className + ' history-board';
  layer.setAttribute('aria-hidden', 'true');
  layer.hidden = true;
  board.after(layer);
  const ctx = layer.getContext('2d', { alpha: false });
  // The layer follows the board's pan and zoom, which app.js sets on its style.
  const follow = () => (layer.style.transform = board.style.transform);
  new MutationObserver(follow).observe(board, { attributes: true, attributeFilter: ['style'] });

  let index = { points: [], liveSeq: null };
  const fetched = new Lru(8);
  const queue = new LatestOnly();

  async function loadIndex() {
    const response = await fetch('/history');
    if (!response.ok) throw new Error(`GET /history answered ${response.status}`);
    index = parseIndex(await response.json());
    slider.max = String(index.points.length);
    slider.value = slider.max;
    show();
  }

  function goLive() {
    slider.value = slider.max;
    show();
  }

  function show() {
    const shown = atPosition(index, slider.value);
    label.textContent = positionLabel(shown);
    bar.dataset.live = String(shown.live);
    if (shown.live) {
      layer.hidden = true;
      return;
    }
    const ready = fetched.get(shown.point.seq);
    if (ready) draw(ready);
    else if (queue.want(shown.point)) fetchPoint(shown.point);
  }

  async function fetchPoint(point) {
    try {
      const response = await fetch(point.url);
      if (!response.ok) throw new Error(`${point.url} answered ${response.status}`);
      const width = Number(response.headers.get('X-Canvas-Width'));
      const height = Number(response.headers.get('X-Canvas-Height'));
      fetched.set(point.seq, { seq: point.seq, width, height, data: new Uint8Array(await response.arrayBuffer()) });
    } catch (err) {
      label.textContent = 'This point could not be loaded; try again shortly';
      console.warn(err);
    }
    const next = queue.done();
    if (next) fetchPoint(next);
    else show();
  }

  function draw({ seq, width, height, data }) {
    const shown = atPosition(index, slider.value);
    if (shown.live || shown.point.seq !== seq || !client.palette) return;
    if (layer.width !== width || layer.height !== height) {
      layer.width = width;
      layer.height = height;
    }
    const image = ctx.createImageData(width, height);
    const image32 = new Uint32Array(image.data.buffer);
    const rgba = client.palette.rgba;
    for (let i = 0; i < data.length; i++) image32[i] = rgba[data[i]];
    ctx.putImageData(image, 0, 0);
    follow();
    layer.hidden = false;
  }

  toggle.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) loadIndex().catch((err) => {
      label.textContent = 'History is not available right now';
      console.warn(err);
    });
    else goLive();
  });
  slider.addEventListener('input', show);
  bar.querySelector('.history-live').addEventListener('click', goLive);
}
