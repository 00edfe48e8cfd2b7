// The templates panel: adding (file, address, and hints for drop and paste),
// the list with each template's controls, progress and colour counts, and the
// painting help. It only builds and updates the DOM; templates.js decides.

import { MODES } from '../lib/template.js';
import { formatProgress } from '../lib/templateprogress.js';

const MODE_LABELS = { image: 'Image', dots: 'Dots (at high zoom)', diff: 'Differences only' };

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

/**
 * Builds the panel and its toggle button. `on` holds the actions:
 * addFile(file), addUrl(url), toggleMove(), next(), paint(), and per template
 * change(id, patch), move(id, delta), remove(id), shareLink(t).
 */
export function buildPanel(on) {
  const file = h('input', { type: 'file', id: 'template-file', accept: 'image/*', class: 'visually-hidden',
    onchange: () => {
      if (file.files[0]) on.addFile(file.files[0]);
      file.value = '';
    } });
  const url = h('input', { type: 'url', id: 'template-url', placeholder: 'https://…/art.png', 'aria-label': 'Image address' });
  const message = h('p', { id: 'template-message', class: 'template-message', role: 'status', 'aria-live': 'polite' });
  const progress = h('p', { id: 'template-next', class: 'template-next', 'aria-live': 'polite' });
  const move = h('button', { type: 'button', id: 'template-move', 'aria-pressed': 'false', title: 'Drag a template on the canvas to place it', onclick: on.toggleMove, text: 'Move' });
  const list = h('ol', { id: 'template-list', class: 'template-list', 'aria-label': 'Templates' });
  const panel = h('aside', { id: 'templates-panel', class: 'templates-panel', 'aria-label': 'Templates', hidden: true },
    h('div', { class: 'templates-head' },
      h('h2', { text: 'Templates' }),
      h('button', { type: 'button', class: 'templates-close', 'aria-label': 'Close templates', text: '×', onclick: () => setOpen(false) })),
    h('div', { class: 'templates-add' },
      file, h('label', { class: 'button-like', for: 'template-file', text: 'From file…' }),
      h('form', { class: 'templates-url', onsubmit: (ev) => {
        ev.preventDefault();
        if (url.value.trim()) on.addUrl(url.value.trim());
      } }, url, h('button', { type: 'submit', text: 'Add' })),
      h('p', { class: 'templates-hint', text: 'Or drop an image on the canvas, or paste one. Colours are converted to the palette.' })),
    message,
    h('div', { class: 'templates-actions' },
      move,
      h('button', { type: 'button', id: 'template-next-button', title: 'Pick a wrong pixel (N)', onclick: on.next, text: 'Next pixel (N)' }),
      h('button', { type: 'button', id: 'template-paint-button', title: 'Paint the picked pixel (P)', onclick: on.paint, text: 'Paint it (P)' })),
    progress,
    list);
  const toggle = h('button', { type: 'button', id: 'templates-toggle', class: 'templates-toggle', 'aria-expanded': 'false', 'aria-controls': 'templates-panel', text: 'Templates', onclick: () => setOpen(panel.hidden) });

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  }

  return {
    panel, toggle, setOpen,
    say(text, kind = 'info') {
      message.textContent = text;
      message.dataset.kind = kind;
      if (text) setOpen(true);
    },
    setNext(text) {
      progress.textContent = text;
    },
    setMove(onOff) {
      move.setAttribute('aria-pressed', String(onOff));
    },
    /** Rebuilds the list: after an add, remove or reorder. */
    renderList(entries, palette) {
      list.replaceChildren(...entries.map((e, i) => item(e, i, entries.length, palette, on)));
    },
    /** Updates one template's progress text and position fields in place, keeping focus where it is. */
    refresh(e) {
      const li = list.querySelector(`[data-id="${e.t.id}"]`);
      if (!li) return;
      li.querySelector('.template-progress').textContent = e.progress ? formatProgress(e.progress.correct, e.progress.total) : 'Converting…';
      for (const k of ['x', 'y']) {
        const input = li.querySelector(`input[name="${k}"]`);
        if (document.activeElement !== input) input.value = String(e.t[k]);
      }
      const share = li.querySelector('input[name="share"]');
      if (share) share.value = on.shareLink(e.t);
    },
  };
}

function item({ t, picture, progress, counts }, i, n, palette, on) {
  const id = t.id;
  const preview = h('canvas', { class: 'template-preview', 'aria-hidden': 'true' });
  if (picture) {
    preview.width = t.width;
    preview.height = t.height;
    preview.getContext('2d').drawImage(picture.full, 0, 0);
  }
  const num = (name, label) =>
    h('label', {}, label + ' ', h('input', { type: 'number', name, step: '1', value: String(t[name]), 'aria-label': `${label} of ${t.name}`,
      onchange: (ev) => {
        const v = Number(ev.target.value);
        if (Number.isInteger(v)) on.change(id, { [name]: v });
        else ev.target.value = String(t[name]);
      } }));
  const mode = h('select', { name: 'mode', 'aria-label': `Display of ${t.name}`, onchange: (ev) => on.change(id, { mode: ev.target.value }) },
    ...MODES.map((m) => h('option', { value: m, selected: m === t.mode, text: MODE_LABELS[m] })));
  const opacity = h('input', { type: 'range', name: 'opacity', min: '0.1', max: '1', step: '0.05', value: String(t.opacity), 'aria-label': `Opacity of ${t.name}`,
    // Dragging the slider redraws at once; storage is written once, when it is let go.
    oninput: (ev) => on.change(id, { opacity: Number(ev.target.value) }, { save: false }),
    onchange: (ev) => on.change(id, { opacity: Number(ev.target.value) }) });
  const colours = counts
    ? h('ul', { class: 'template-counts', 'aria-label': 'Pixels per colour' },
      ...counts.map((c, k) => ({ c, k })).filter(({ c }) => c > 0).sort((a, b) => b.c - a.c)
        .map(({ c, k }) => h('li', { 'data-color': palette.colors[k], title: palette.colors[k] },
          h('span', { class: 'swatch', style: `background:${palette.colors[k]}`, 'aria-hidden': 'true' }),
          h('span', { text: `${c.toLocaleString('en')} × ${palette.colors[k]}` }))))
    : null;
  const share = t.url
    ? h('label', { class: 'template-share' }, 'Share link ', h('input', { type: 'text', readonly: true, name: 'share', value: on.shareLink(t), onfocus: (ev) => ev.target.select() }))
    : h('p', { class: 'templates-hint', text: 'Added from a file: only templates added by address have a share link.' });
  return h('li', { 'data-id': id, class: 'template-item', 'data-enabled': String(t.enabled) },
    h('div', { class: 'template-row' },
      preview,
      h('div', { class: 'template-main' },
        h('label', { class: 'template-name' }, h('input', { type: 'checkbox', name: 'enabled', checked: t.enabled, onchange: (ev) => on.change(id, { enabled: ev.target.checked }) }), ' ', t.name),
        h('p', { class: 'template-progress', text: progress ? formatProgress(progress.correct, progress.total) : 'Converting…' }),
        h('div', { class: 'template-buttons' },
          h('button', { type: 'button', 'aria-label': `Move ${t.name} up`, disabled: i === 0, onclick: () => on.move(id, -1), text: '↑' }),
          h('button', { type: 'button', 'aria-label': `Move ${t.name} down`, disabled: i === n - 1, onclick: () => on.move(id, 1), text: '↓' }),
          h('button', { type: 'button', 'aria-label': `Remove ${t.name}`, class: 'template-remove', onclick: () => on.remove(id), text: 'Remove' })))),
    h('div', { class: 'template-fields' }, num('x', 'x'), num('y', 'y'), mode),
    h('div', { class: 'template-fields' },
      h('label', {}, 'Opacity ', opacity),
      h('label', {}, h('input', { type: 'checkbox', name: 'dither', checked: t.dither, onchange: (ev) => on.change(id, { dither: ev.target.checked }) }), ' Dither')),
    colours ? h('details', { class: 'template-colours' }, h('summary', { text: `${t.width} × ${t.height}, ${counts.filter((c) => c > 0).length} colours` }), colours) : null,
    share);
}
