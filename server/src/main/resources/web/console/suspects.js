// The console's Suspects tab: the sessions GET /admin/suspects ranks, each
// signal in words, and per row Inspect (the User tab) and the server's
// ready-made admin requests (new proof of work, ban, roll back), each sent
// only after the moderator confirms. Signals rank; only a moderator acts.

import { SUSPECTS_LIMIT, SUSPECT_ACTIONS, scoreText, signalTexts, contextText, actionRequest, confirmText, resultText } from '../lib/suspects.js';

/**
 * The tab: {draw() for the console's render, reset() on sign-out}. Nothing is fetched until it is shown to a
 * signed-in moderator (the console draws no tab before sign-in).
 * @param {object} o
 * @param {Function} o.h           the console's element builder
 * @param {object} o.api           the console's AdminApi
 * @param {Function} o.confirm     (message, action) => Promise<boolean>, the console's dialog
 * @param {Function} o.run         (label, fn) => Promise, the console's result/error display
 * @param {Function} o.openUser    opens a user in the User tab
 * @param {Function} o.render      redraws the console
 */
export function suspectsTab({ h, api, confirm, run, openUser, render }) {
  let list = null;
  let untracked = 0;
  let loading = false;
  let failed = false;

  function refresh() {
    loading = true;
    return run('Loading suspects', async () => {
      try {
        const answer = await api.suspects(SUSPECTS_LIMIT);
        list = answer?.suspects ?? [];
        untracked = answer?.untracked ?? 0;
        failed = false;
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        loading = false;
      }
      render();
      return `${list.length} suspect${list.length === 1 ? '' : 's'} ranked${untracked ? `; ${untracked} sessions beyond the cap are not tracked` : ''}.`;
    });
  }

  async function act(suspect, action, request) {
    if (!(await confirm(confirmText(suspect, action, request), action.confirm))) return;
    await run(`${action.label}: ${suspect.userId}`, async () => resultText(suspect, action, await api.request(request.method, request.path, request.body)));
  }

  function row(s) {
    return h('li', { class: 'mod-suspect', 'data-user': s.userId },
      h('div', { class: 'mod-row' },
        h('strong', { text: s.userId }),
        h('span', { class: 'mod-suspect-score', text: ` score ${scoreText(s.score)}` })),
      h('ul', { class: 'mod-suspect-signals' }, signalTexts(s).map((t) => h('li', { text: t }))),
      h('p', { class: 'mod-hint', text: contextText(s) }),
      h('div', { class: 'mod-row' },
        h('button', { type: 'button', class: 'mod-small mod-suspect-inspect', onclick: () => openUser(s.userId), text: 'Inspect' }),
        SUSPECT_ACTIONS.map((a) => {
          const request = actionRequest(s, a);
          return h('button', {
            type: 'button', class: `mod-danger mod-small mod-suspect-${a.key}`, disabled: !request,
            title: request ? null : a.key === 'requireProofOfWork' ? 'Proof of work is off on this server.' : 'The server does not offer this action.',
            onclick: () => act(s, a, request), text: `${a.label}…`,
          });
        })));
  }

  function draw() {
    if (list === null && !loading && !failed) queueMicrotask(refresh);
    return [
      h('h2', { text: 'Suspicious sessions' }),
      h('p', { class: 'mod-hint', text: 'Ranked by bot signals on this instance, highest first. Signals never act by themselves: look before you act.' }),
      h('button', { type: 'button', id: 'mod-suspects-refresh', onclick: refresh, text: 'Refresh' }),
      list === null
        ? h('p', { text: failed ? 'The list could not be loaded; press Refresh.' : 'Loading…' })
        : list.length === 0
          ? h('p', { id: 'mod-suspects-empty', text: 'No painting sessions are tracked yet.' })
          : h('ol', { class: 'mod-list mod-scroll mod-suspects', id: 'mod-suspects' }, list.map(row)),
    ];
  }

  /** Forgets the list, so the next moderator to sign in loads it afresh. */
  function reset() {
    list = null;
    untracked = 0;
    failed = false;
  }

  return { draw, reset };
}
