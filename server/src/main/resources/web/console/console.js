// The moderator console: a panel over the page that signs in with the admin
// token and then locks regions, inspects and acts on a user (highlight,
// rollback with preview, ban, unban), rewinds a region with a preview, reads
// the audit log, follows moderation events live and lists the sessions bot
// signals rank (console/suspects.js). Everything goes through
// the documented admin API (lib/admin.js); nothing admin-only is built, and
// no admin request is sent, until a token has been accepted.

import { AdminApi, AdminError, USER_PIXELS_LIMIT, rectText, parseRect, expiryFrom, parseTime, entryTarget, describeEntry, describeEvent } from '../lib/admin.js';
import { ConsoleOverlay } from './overlay.js';
import { usableStorage } from '../lib/storage.js';
import { suspectsTab } from './suspects.js';

const LIVE_MAX = 200;
const LIVE_POLL_MS = 3000;
const LIVE_POLL_ENTRIES = 50;
const TABS = [
  ['locks', 'Locks'],
  ['user', 'User'],
  ['rewind', 'Rewind'],
  ['audit', 'Audit'],
  ['live', 'Live'],
  ['suspects', 'Suspects'],
];

/** Builds an element: h('button', {type: 'button', onclick}, 'text', child...). */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/**
 * Mounts the console. Returns {openUser(userId), open(), api}.
 * @param {object} o
 * @param {object} o.client     the page's CanvasClient
 * @param {object} o.state      the page state (its `view` is read for drawing)
 * @param {HTMLElement} o.viewport
 * @param {(x:number, y:number) => void} o.centreOn  pans the page to a canvas pixel
 */
export function mountConsole({ client, state, viewport, centreOn }) {
  const link = h('link', { rel: 'stylesheet', href: new URL('./console.css', import.meta.url).href });
  document.head.append(link);
  const api = new AdminApi({ base: location.origin, storage: usableStorage(() => window.sessionStorage) });
  const overlay = new ConsoleOverlay({
    viewport,
    view: () => state.view,
    size: () => (client.bitmap ? { width: client.bitmap.width, height: client.bitmap.height } : null),
  });
  const live = [];
  const ui = { tab: 'locks', selection: null, user: null, userPixels: [], rollbackPreview: null, rewindPreview: null, auditNext: null, pendingUser: null };

  const toggle = h('button', { type: 'button', id: 'mod-toggle', class: 'mod-toggle', 'aria-expanded': 'false', 'aria-controls': 'mod-console', text: 'Moderator' });
  document.querySelector('.topbar')?.append(toggle);
  const panel = h('aside', { id: 'mod-console', class: 'mod-console', 'aria-label': 'Moderator console', hidden: true });
  document.querySelector('.stage')?.append(panel);
  const dialog = h('dialog', { class: 'mod-dialog', id: 'mod-dialog' });
  document.body.append(dialog);

  toggle.addEventListener('click', () => (panel.hidden ? open() : close()));
  const suspects = suspectsTab({ h, api, confirm, run, openUser, render });

  function open() {
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    render();
  }
  function close() {
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    overlay.cancel();
  }

  /** Asks before a destructive action; resolves true on Confirm. */
  function confirm(message, action) {
    return new Promise((resolve) => {
      const done = (ok) => {
        dialog.close();
        resolve(ok);
      };
      dialog.replaceChildren(
        h('p', { class: 'mod-dialog-text', text: message }),
        h('div', { class: 'mod-dialog-buttons' },
          h('button', { type: 'button', id: 'mod-confirm-cancel', onclick: () => done(false), text: 'Cancel' }),
          h('button', { type: 'button', id: 'mod-confirm-ok', class: 'mod-danger', onclick: () => done(true), text: action })),
      );
      dialog.oncancel = () => resolve(false);
      dialog.showModal();
    });
  }

  /** Runs an admin action, showing its result or its error in words. */
  async function run(label, fn) {
    const out = panel.querySelector('#mod-result');
    if (out) {
      out.dataset.kind = 'busy';
      out.textContent = `${label}…`;
    }
    try {
      const text = await fn();
      const o = panel.querySelector('#mod-result');
      if (o && text) {
        o.dataset.kind = 'ok';
        o.textContent = text;
      }
      return true;
    } catch (err) {
      const message = err instanceof AdminError ? err.message : `Something went wrong: ${err?.message ?? err}`;
      if (!api.signedIn) {
        render();
        const e = panel.querySelector('#mod-signin-error');
        if (e) e.textContent = message;
        return false;
      }
      const o = panel.querySelector('#mod-result');
      if (o) {
        o.dataset.kind = 'error';
        o.textContent = message;
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- render

  function render() {
    if (panel.hidden) return;
    if (!api.signedIn) {
      overlay.clear();
      panel.replaceChildren(signInForm());
      return;
    }
    const tabs = h('div', { class: 'mod-tabs', role: 'tablist' },
      TABS.map(([id, label]) => h('button', {
        type: 'button', role: 'tab', id: `mod-tab-${id}`, 'aria-selected': String(ui.tab === id),
        onclick: () => {
          ui.tab = id;
          render();
        },
        text: label,
      })));
    const body = { locks: locksTab, user: userTab, rewind: rewindTab, audit: auditTab, live: liveTab, suspects: suspects.draw }[ui.tab]();
    const previous = panel.querySelector('#mod-result');
    const result = h('p', { id: 'mod-result', class: 'mod-result', role: 'status', 'data-kind': previous?.dataset.kind ?? '' }, previous?.textContent ?? '');
    panel.replaceChildren(
      h('div', { class: 'mod-head' }, h('strong', { text: 'Moderator console' }),
        h('button', { type: 'button', id: 'mod-signout', class: 'link-button', onclick: signOut, text: 'Sign out' })),
      tabs, h('div', { class: 'mod-body', role: 'tabpanel', 'aria-labelledby': `mod-tab-${ui.tab}` }, body), result);
  }

  function signInForm() {
    const input = h('input', { id: 'mod-token', type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'mod-signin-error' });
    const error = h('p', { id: 'mod-signin-error', class: 'mod-error', role: 'alert' });
    return h('form', {
      class: 'mod-signin',
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.textContent = 'Checking…';
        try {
          await api.signIn(input.value);
          input.value = '';
          const pending = ui.pendingUser;
          ui.pendingUser = null;
          render();
          if (pending) openUser(pending);
        } catch (err) {
          error.textContent = err instanceof AdminError ? err.message : String(err);
        }
      },
    },
    h('label', { for: 'mod-token', text: 'Admin token' }), input,
    h('p', { class: 'mod-hint', text: 'Kept for this browser tab only, and sent only to this server.' }),
    h('button', { type: 'submit', id: 'mod-signin', text: 'Sign in' }), error);
  }

  function signOut() {
    api.signOut();
    overlay.cancel();
    overlay.clear();
    Object.assign(ui, { selection: null, user: null, userPixels: [], rollbackPreview: null, rewindPreview: null, auditNext: null, auditEntries: [], bans: null });
    live.length = 0;
    seenAudit.clear();
    suspects.reset();
    render();
  }

  // ----------------------------------------------------------------- locks

  function selectionControls() {
    const typed = h('input', { id: 'mod-rect', placeholder: 'or type x1,y1,x2,y2', 'aria-label': 'Rectangle as x1,y1,x2,y2',
      value: ui.selection ? `${ui.selection.x1},${ui.selection.y1},${ui.selection.x2},${ui.selection.y2}` : '' });
    typed.addEventListener('change', () => {
      const rect = parseRect(typed.value);
      const size = overlay.size();
      if (!rect || !size || rect.x2 >= size.width || rect.y2 >= size.height) {
        const o = panel.querySelector('#mod-result');
        if (o) o.textContent = `A rectangle is x1,y1,x2,y2 with x1 ≤ x2 and y1 ≤ y2 on the ${size?.width ?? '?'}×${size?.height ?? '?'} canvas.`;
        return;
      }
      ui.selection = rect;
      ui.rewindPreview = null;
      overlay.setPreview([]);
      overlay.setSelection(rect);
      render();
    });
    return [h('div', { class: 'mod-row' },
      h('button', { type: 'button', id: 'mod-select', onclick: selectRegion, text: 'Select a rectangle' }),
      h('span', { id: 'mod-selection', text: ui.selection ? rectText(ui.selection) : 'Drag on the canvas after pressing the button.' })),
    typed];
  }

  async function selectRegion() {
    const label = panel.querySelector('#mod-selection');
    if (label) label.textContent = 'Drag a rectangle on the canvas (Esc cancels)…';
    const rect = await overlay.selectRect();
    if (rect) {
      ui.selection = rect;
      ui.rewindPreview = null;
      overlay.setPreview([]);
    } else overlay.setSelection(ui.selection);
    render();
  }

  function locksTab() {
    // Kept in `ui`: a lock event from elsewhere redraws the tab while the moderator types.
    const reason = h('input', { id: 'mod-lock-reason', maxlength: '500', placeholder: 'e.g. community logo', value: ui.lockReason ?? '' });
    reason.addEventListener('input', () => (ui.lockReason = reason.value));
    const expiry = h('select', { id: 'mod-lock-expiry' },
      ['1h', '24h', '7d', '30d', 'never'].map((v) => h('option', { value: v, selected: v === (ui.lockExpiry ?? '24h'), text: v === 'never' ? 'never (until removed)' : v })));
    expiry.addEventListener('change', () => (ui.lockExpiry = expiry.value));
    const locks = client.locks.active();
    return [
      h('h2', { text: 'Lock a region' }),
      selectionControls(),
      h('label', { for: 'mod-lock-reason', text: 'Reason' }), reason,
      h('label', { for: 'mod-lock-expiry', text: 'Expires after' }), expiry,
      h('button', {
        type: 'button', id: 'mod-lock-create', disabled: !ui.selection,
        onclick: () => run('Locking', async () => {
          const lock = await api.lock(ui.selection, reason.value.trim(), expiryFrom(expiry.value));
          ui.selection = null;
          ui.lockReason = '';
          overlay.setSelection(null);
          render();
          return `Locked ${rectText(lock)}${lock.expiresAt ? ` until ${lock.expiresAt}` : ''}.`;
        }),
        text: 'Lock this region',
      }),
      h('h2', { text: `Active locks (${locks.length})` }),
      h('button', { type: 'button', id: 'mod-lock-pick', onclick: pickLock, text: 'Pick a lock on the canvas to remove' }),
      h('ul', { class: 'mod-list', id: 'mod-locks' }, locks.map((l) => h('li', {},
        h('button', { type: 'button', class: 'link-button', onclick: () => centreOn(...Object.values(entryTarget(l))), text: rectText(l) }),
        l.reason ? ` — ${l.reason}` : '',
        h('button', { type: 'button', class: 'mod-danger mod-small', onclick: () => removeLock(l), text: 'Remove' })))),
    ];
  }

  async function pickLock() {
    const out = panel.querySelector('#mod-result');
    if (out) out.textContent = 'Click a locked area on the canvas (Esc cancels)…';
    const p = await overlay.pickPixel();
    const lock = p && client.locks.find(p.x, p.y);
    if (!lock) {
      if (out) out.textContent = p ? `No lock covers (${p.x}, ${p.y}).` : '';
      return;
    }
    removeLock(lock);
  }

  async function removeLock(lock) {
    if (!(await confirm(`Remove the lock on ${rectText(lock)}${lock.reason ? ` (${lock.reason})` : ''}? Everyone can paint there again.`, 'Remove lock'))) return;
    await run('Removing the lock', async () => {
      await api.unlock(lock);
      return `Removed the lock on ${rectText(lock)}.`;
    });
  }

  // ------------------------------------------------------------------ user

  /** Opens a user in the console: their recent pixels highlighted, with rollback and ban. */
  async function openUser(userId) {
    const id = String(userId ?? '').trim();
    if (!id) return;
    ui.tab = 'user';
    open();
    if (!api.signedIn) {
      ui.pendingUser = id;
      return;
    }
    Object.assign(ui, { user: id, userPixels: [], rollbackPreview: null });
    overlay.setPreview([]);
    render();
    await run(`Loading ${id}'s pixels`, async () => {
      const page = await api.userPixels(id);
      const pixels = page.entries ?? [];
      ui.userPixels = pixels;
      ui.userMore = page.next !== null && page.next !== undefined;
      ui.since = pixels.length ? pixels[pixels.length - 1].timestamp : '';
      overlay.setHighlights(pixels);
      render();
      return `${id}: ${ui.userMore ? `the newest ${USER_PIXELS_LIMIT}` : pixels.length} pixels highlighted.`;
    });
  }

  function userTab() {
    const idInput = h('input', { id: 'mod-user-id', value: ui.user ?? '', placeholder: 'user-…', spellcheck: 'false' });
    const parts = [
      h('h2', { text: 'Inspect a user' }),
      h('form', { class: 'mod-row', onsubmit: (ev) => { ev.preventDefault(); openUser(idInput.value); } },
        h('label', { for: 'mod-user-id', class: 'visually-hidden', text: 'User id' }), idInput,
        h('button', { type: 'submit', id: 'mod-user-open', text: 'Open' })),
    ];
    if (!ui.user) return parts;
    const count = ui.userMore ? `${USER_PIXELS_LIMIT}+` : String(ui.userPixels.length);
    const since = h('input', { id: 'mod-since', value: ui.since ?? '', placeholder: '2026-11-29T01:00:00Z' });
    since.addEventListener('input', () => {
      ui.since = since.value;
      ui.rollbackPreview = null;
      overlay.setPreview([]);
    });
    const preview = ui.rollbackPreview;
    const banDuration = h('select', { id: 'mod-ban-duration' },
      ['1h', '24h', '7d', '30d', 'never'].map((v) => h('option', { value: v, selected: v === '24h', text: v === 'never' ? 'permanent' : v })));
    const banReason = h('input', { id: 'mod-ban-reason', maxlength: '500', placeholder: 'e.g. griefing' });
    const banRollback = h('input', { id: 'mod-ban-rollback', type: 'checkbox' });
    parts.push(
      h('p', { id: 'mod-user-count', text: `${count} recent pixels of ${ui.user}, outlined on the canvas.` }),
      h('ol', { class: 'mod-list mod-scroll' }, ui.userPixels.slice(0, 50).map((e) => entryItem(e, false))),
      h('h2', { text: 'Roll back' }),
      h('label', { for: 'mod-since', text: 'Since (ISO time; their oldest highlighted pixel by default)' }), since,
      h('div', { class: 'mod-row' },
        h('button', { type: 'button', id: 'mod-rollback-preview', onclick: previewRollback, text: 'Preview rollback' }),
        h('button', { type: 'button', id: 'mod-rollback-confirm', class: 'mod-danger', disabled: !preview || preview.pixelsChanged === 0, onclick: confirmRollback, text: 'Roll back…' })),
      h('p', { id: 'mod-rollback-preview-text', text: preview ? previewText(preview) : '' }),
      h('h2', { text: 'Ban' }),
      h('label', { for: 'mod-ban-duration', text: 'Duration' }), banDuration,
      h('label', { for: 'mod-ban-reason', text: 'Reason' }), banReason,
      h('label', { class: 'mod-check' }, banRollback, ' and roll back since the time above, in the same step'),
      h('button', { type: 'button', id: 'mod-ban', class: 'mod-danger', onclick: () => ban(banDuration.value, banReason.value.trim(), banRollback.checked), text: 'Ban…' }),
      h('h2', { text: 'Bans' }),
      h('button', { type: 'button', id: 'mod-bans-load', onclick: loadBans, text: 'Show active bans' }),
      h('ul', { class: 'mod-list', id: 'mod-bans' }, (ui.bans ?? []).map((b) => h('li', {},
        `${b.userId ?? b.ip}${b.until ? ` until ${b.until}` : ' (permanent)'}${b.reason ? ` — ${b.reason}` : ''} `,
        h('button', { type: 'button', class: 'mod-danger mod-small', onclick: () => unban(b), text: 'Unban' })))),
    );
    return parts;
  }

  function previewText(p) {
    if (p.pixelsChanged === 0) return 'Nothing would change.';
    const shown = p.truncated ? ` (the first ${p.pixels.length} are shown)` : '';
    return `${p.pixelsChanged} pixel${p.pixelsChanged === 1 ? '' : 's'} would change${shown}; they are drawn on the canvas as they would become.`;
  }

  /** A typed time as ISO-8601, or an error that says what `what` needs. */
  function timeOrThrow(text, what) {
    const t = parseTime(text);
    if (!t) throw new AdminError(0, 'input', `Give the time ${what}, e.g. 2026-11-29T01:00:00Z.`);
    return t;
  }

  function sinceOrThrow() {
    return timeOrThrow(ui.since, 'to roll back from');
  }

  /** Fetches a repair's preview into ui[key] and draws it on the canvas. */
  function showPreview(label, key, fetchPreview) {
    return run(label, async () => {
      const p = await fetchPreview();
      ui[key] = p;
      overlay.setPreview(p.pixels);
      render();
      return p.pixelsChanged ? 'Preview only: nothing has changed yet. Confirm to apply it.' : 'Nothing to do.';
    });
  }

  function previewRollback() {
    return showPreview('Previewing the rollback', 'rollbackPreview', () => api.previewRollback(ui.user, sinceOrThrow()));
  }

  async function confirmRollback() {
    const p = ui.rollbackPreview;
    const since = parseTime(ui.since);
    if (!(await confirm(`Roll back ${ui.user}'s pixels since ${since}? About ${p.pixelsChanged} pixels get their earlier colours back.`, 'Roll back'))) return;
    await run('Rolling back', async () => {
      const r = await api.rollback(ui.user, since);
      ui.rollbackPreview = null;
      overlay.setPreview([]);
      render();
      return `Rolled back ${r.pixelsChanged} pixels of ${ui.user} (seqs ${r.fromSeq}–${r.toSeq}).`;
    });
  }

  async function ban(duration, reason, withRollback) {
    const until = expiryFrom(duration);
    const rollbackSince = withRollback ? parseTime(ui.since) : null;
    if (withRollback && !rollbackSince) {
      run('Banning', async () => sinceOrThrow());
      return;
    }
    const what = `Ban ${ui.user} ${until ? `until ${until}` : 'permanently'}${rollbackSince ? ` and roll back their pixels since ${rollbackSince}` : ''}?`;
    if (!(await confirm(what, 'Ban'))) return;
    await run('Banning', async () => {
      const b = await api.ban(ui.user, { reason, until, rollbackSince });
      ui.rollbackPreview = null;
      overlay.setPreview([]);
      ui.bans = null;
      render();
      return `Banned ${b.userId} (${b.id})${b.rollback ? `, rolled back ${b.rollback.pixelsChanged} pixels` : ''}.`;
    });
  }

  function loadBans() {
    return run('Loading bans', async () => {
      ui.bans = (await api.bans()).bans ?? [];
      render();
      return `${ui.bans.length} active ban${ui.bans.length === 1 ? '' : 's'}.`;
    });
  }

  async function unban(b) {
    if (!(await confirm(`Lift the ban on ${b.userId ?? b.ip}?`, 'Unban'))) return;
    await run('Unbanning', async () => {
      await api.unban(b.id);
      ui.bans = (ui.bans ?? []).filter((x) => x.id !== b.id);
      render();
      return `Lifted the ban on ${b.userId ?? b.ip}.`;
    });
  }

  // ---------------------------------------------------------------- rewind

  function rewindTab() {
    const to = h('input', { id: 'mod-rewind-to', value: ui.rewindTo ?? '', placeholder: '2026-11-29T01:00:00Z' });
    to.addEventListener('input', () => {
      ui.rewindTo = to.value;
      ui.rewindPreview = null;
      overlay.setPreview([]);
    });
    const p = ui.rewindPreview;
    return [
      h('h2', { text: 'Rewind a region' }),
      selectionControls(),
      h('label', { for: 'mod-rewind-to', text: 'To (ISO time, or local "2026-11-29 01:00")' }), to,
      h('div', { class: 'mod-row' },
        h('button', { type: 'button', id: 'mod-rewind-preview', disabled: !ui.selection, onclick: previewRewind, text: 'Preview' }),
        h('button', { type: 'button', id: 'mod-rewind-confirm', class: 'mod-danger', disabled: !p || p.pixelsChanged === 0, onclick: confirmRewind, text: 'Rewind…' })),
      h('p', { id: 'mod-rewind-preview-text', text: p ? previewText(p) : '' }),
    ];
  }

  function previewRewind() {
    return showPreview('Previewing the rewind', 'rewindPreview', () => api.previewRewind(ui.selection, timeOrThrow(ui.rewindTo, 'to rewind to')));
  }

  async function confirmRewind() {
    const to = parseTime(ui.rewindTo);
    const rect = ui.selection;
    if (!(await confirm(`Rewind ${rectText(rect)} to ${to}? About ${ui.rewindPreview.pixelsChanged} pixels change.`, 'Rewind'))) return;
    await run('Rewinding', async () => {
      const r = await api.rewind(rect, to);
      ui.rewindPreview = null;
      overlay.setPreview([]);
      render();
      return `Rewound ${rectText(rect)}: ${r.pixelsChanged} pixels changed (seqs ${r.fromSeq}–${r.toSeq}).`;
    });
  }

  // ----------------------------------------------------------------- audit

  /** An audit entry that pans to its place when clicked; in the audit view it also marks it. */
  function entryItem(e, mark = true) {
    const target = entryTarget(e);
    const when = e.timestamp ? `${e.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} ` : '';
    const text = `${when}${describeEntry(e)}`;
    const go = () => {
      centreOn(target.x, target.y);
      if (mark) overlay.setHighlights([target]);
    };
    return h('li', {}, target ? h('button', { type: 'button', class: 'link-button mod-entry', onclick: go, text }) : text);
  }

  function auditTab() {
    const f = (ui.auditFilters ??= { type: 'pixel', userId: '', region: '', since: '', until: '' });
    const input = (id, key, label, placeholder) => {
      const e = h('input', { id, value: f[key], placeholder });
      e.addEventListener('input', () => (f[key] = e.value));
      return [h('label', { for: id, text: label }), e];
    };
    const type = h('select', { id: 'mod-audit-type' }, [['pixel', 'Pixels'], ['moderation', 'Moderation actions']].map(([v, t]) => h('option', { value: v, selected: f.type === v, text: t })));
    type.addEventListener('change', () => (f.type = type.value));
    return [
      h('h2', { text: 'Audit log' }),
      h('form', { class: 'mod-filters', onsubmit: (ev) => { ev.preventDefault(); searchAudit(null); } },
        h('label', { for: 'mod-audit-type', text: 'Type' }), type,
        input('mod-audit-user', 'userId', 'User', 'user-…'),
        input('mod-audit-region', 'region', 'Region x1,y1,x2,y2', ui.selection ? `${ui.selection.x1},${ui.selection.y1},${ui.selection.x2},${ui.selection.y2}` : '10,10,40,30'),
        input('mod-audit-since', 'since', 'Since', 'ISO time'),
        input('mod-audit-until', 'until', 'Until', 'ISO time'),
        h('button', { type: 'submit', id: 'mod-audit-search', text: 'Search' })),
      h('p', { class: 'mod-hint', text: 'User, region and time filter pixel entries; moderation actions are listed newest first.' }),
      h('ol', { class: 'mod-list mod-scroll', id: 'mod-audit-list' }, (ui.auditEntries ?? []).map((e) => entryItem(e))),
      ui.auditNext ? h('button', { type: 'button', id: 'mod-audit-older', onclick: () => searchAudit(ui.auditNext), text: 'Older entries' }) : null,
    ];
  }

  function searchAudit(before) {
    const f = ui.auditFilters;
    return run('Searching the audit log', async () => {
      const region = f.region.trim() ? parseRect(f.region) : null;
      if (f.region.trim() && !region) throw new AdminError(0, 'input', 'A region is four whole numbers: x1,y1,x2,y2.');
      const since = f.since.trim() ? parseTime(f.since) : null;
      const until = f.until.trim() ? parseTime(f.until) : null;
      if ((f.since.trim() && !since) || (f.until.trim() && !until)) throw new AdminError(0, 'input', 'Times are ISO-8601, e.g. 2026-11-29T01:00:00Z.');
      const page = await api.audit({ type: f.type, userId: f.userId.trim(), region, since, until, before, limit: 100 });
      ui.auditEntries = before ? (ui.auditEntries ?? []).concat(page.entries) : page.entries;
      ui.auditNext = page.next ?? null;
      render();
      return `${ui.auditEntries.length} entr${ui.auditEntries.length === 1 ? 'y' : 'ies'}${ui.auditNext ? ', more with "Older entries"' : ''}.`;
    });
  }

  // ------------------------------------------------------------------ live

  function liveTab() {
    followAuditLog();
    return [
      h('h2', { text: 'Live moderation events' }),
      h('p', { class: 'mod-hint', text: 'Lock events as the socket brings them, and every moderation action of the shared audit log, by any moderator on any instance, checked every few seconds while this tab is open.' }),
      h('ol', { class: 'mod-list mod-scroll mod-live', id: 'mod-live' }, live.map((ev) => {
        const text = `${new Date(ev.at).toLocaleTimeString()} ${ev.text}`;
        return h('li', { 'data-source': ev.source }, ev.target
          ? h('button', { type: 'button', class: 'link-button mod-entry', onclick: () => centreOn(ev.target.x, ev.target.y), text })
          : text);
      })),
    ];
  }

  function addLive(ev) {
    live.push(ev);
    live.sort((a, b) => b.at - a.at);
    if (live.length > LIVE_MAX) live.length = LIVE_MAX;
  }

  client.on('moderation', (msg) => {
    addLive({ at: Date.now(), text: describeEvent(msg), target: entryTarget(msg), source: 'socket' });
    if (api.signedIn && !panel.hidden && (ui.tab === 'live' || ui.tab === 'locks')) render();
  });

  // The moderation log is read only while the Live tab is shown, and not
  // counted against the audit budget (docs/moderation.md).
  let liveTimer = null;
  const seenAudit = new Set();
  function followAuditLog() {
    if (liveTimer) return;
    const poll = async () => {
      if (!api.signedIn || panel.hidden || ui.tab !== 'live') {
        clearInterval(liveTimer);
        liveTimer = null;
        return;
      }
      try {
        const page = await api.audit({ type: 'moderation', limit: LIVE_POLL_ENTRIES });
        let added = false;
        for (const e of page.entries ?? []) {
          if (seenAudit.has(e.id)) continue;
          seenAudit.add(e.id);
          addLive({ at: Date.parse(e.timestamp), text: describeEntry(e), target: entryTarget(e), source: 'audit' });
          added = true;
        }
        if (added && ui.tab === 'live' && !panel.hidden) render();
      } catch (err) {
        const o = panel.querySelector('#mod-result');
        if (o && api.signedIn) {
          o.dataset.kind = 'error';
          o.textContent = err.message;
        } else render();
      }
    };
    liveTimer = setInterval(poll, LIVE_POLL_MS);
    poll();
  }

  return { openUser, open, close, api, overlay };
}
