// The heatmap and virgin-map overlays: two toggles that lay a server-drawn PNG
// (GET /canvas/heatmap?window=1h, GET /canvas/virgin) over the canvas, moved
// and scaled with it, and refreshed once a minute while shown (each fetch
// counts against the same per-IP budget as /canvas).

import { heatmapPath, VIRGIN_PATH } from './lib/pixelinfo.js';

const REFRESH_MS = 60_000;

/** Wires the toggles; `board` is the canvas element whose CSS transform the overlays follow. */
export function mountOverlays({ board }) {
  const layers = [
    { button: document.querySelector('#heatmap-toggle'), path: () => heatmapPath('1h'), name: 'Heatmap' },
    { button: document.querySelector('#virgin-toggle'), path: () => VIRGIN_PATH, name: 'Virgin map' },
  ];
  for (const layer of layers) {
    const img = document.createElement('img');
    img.className = 'board-overlay';
    img.alt = '';
    img.hidden = true;
    img.dataset.overlay = layer.name;
    board.after(img);
    layer.img = img;
    layer.timer = null;
    layer.button.addEventListener('click', () => show(layer, layer.img.hidden));
    img.addEventListener('error', () => {
      show(layer, false);
      layer.button.title = `${layer.name} unavailable right now (too many requests, or the server is starting); try again later`;
    });
  }

  function load(layer) {
    const sep = layer.path().includes('?') ? '&' : '?';
    layer.img.src = `${layer.path()}${sep}t=${Math.floor(Date.now() / REFRESH_MS)}`;
  }

  function show(layer, on) {
    layer.button.setAttribute('aria-pressed', String(on));
    layer.img.hidden = !on;
    clearInterval(layer.timer);
    if (on) {
      follow();
      load(layer);
      layer.timer = setInterval(() => load(layer), REFRESH_MS);
    } else {
      layer.img.removeAttribute('src');
    }
  }

  function follow() {
    for (const { img } of layers) img.style.transform = board.style.transform;
  }
  new MutationObserver(follow).observe(board, { attributes: true, attributeFilter: ['style'] });
}
