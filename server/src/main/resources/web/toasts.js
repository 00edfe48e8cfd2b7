// Short messages in a corner of the page, one per key: repeated refusals for
// one reason update one toast instead of stacking a pile of them.

/**
 * The toasts shown in `container`.
 * @param {HTMLElement} container
 */
export function mountToasts(container) {
  const toasts = new Map();

  /** Shows or refreshes the toast for `key`. */
  function toast(key, text, { kind = 'info', countdown = null, ttl = 5000 } = {}) {
    let t = toasts.get(key);
    if (!t) {
      const node = document.createElement('div');
      node.className = 'toast';
      node.dataset.reason = key;
      node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      const span = document.createElement('span');
      span.className = 'toast-text';
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'toast-close';
      close.setAttribute('aria-label', 'Dismiss');
      close.textContent = '×';
      node.append(span, close);
      t = { node, span, timer: null, render: null, countdown: null };
      close.addEventListener('click', () => dismiss(key));
      toasts.set(key, t);
      container.append(node);
    }
    t.node.dataset.kind = kind;
    clearTimeout(t.timer);
    t.timer = null;
    t.render = () => {
      t.span.textContent = typeof text === 'function' ? text() : text;
    };
    t.countdown = countdown;
    t.render();
    if (!countdown) t.timer = setTimeout(() => dismiss(key), ttl);
  }

  /** Re-renders countdown toasts; once a countdown ends, its toast lingers briefly. */
  function tick() {
    for (const [key, t] of toasts) {
      if (!t.countdown) continue;
      t.render();
      if (t.countdown() <= 0 && !t.timer) t.timer = setTimeout(() => dismiss(key), 1500);
    }
  }

  function dismiss(key) {
    const t = toasts.get(key);
    if (!t) return;
    clearTimeout(t.timer);
    t.node.remove();
    toasts.delete(key);
  }

  setInterval(tick, 250);
  return { toast };
}
