// The moderator's view of GET /admin/suspects (docs/identity.md): each
// session's score and signals in words, and the admin request behind each
// one-click action. Pure functions, so the console module only draws.

/** How many suspects the console asks for. */
export const SUSPECTS_LIMIT = 50;
/** The highest score a session can reach: 3 × regularity + 2 × noBootstrapShare + 1 × noSession. */
export const MAX_SCORE = 6;
/** Intervals a session needs before its rhythm counts (BotSignals). */
const MIN_INTERVALS = 8;

/**
 * The actions a row offers, in order, each with the documented admin request
 * it may send. A request the server offers for another path is not sent.
 */
export const SUSPECT_ACTIONS = [
  { key: 'requireProofOfWork', label: 'Require proof of work', confirm: 'Require proof of work', path: '/admin/pow/revoke' },
  { key: 'ban', label: 'Ban', confirm: 'Ban', path: '/admin/bans' },
  { key: 'rollback', label: 'Roll back', confirm: 'Roll back', path: '/admin/rollback' },
];

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

/** The score as shown, e.g. "2.85 of 6". */
export function scoreText(score) {
  const n = Number(score);
  return `${Number.isFinite(n) ? n.toFixed(2) : '?'} of ${MAX_SCORE}`;
}

/** The rhythm of a session's placements in words. */
export function rhythmText({ placements = 0, intervalCv = null, meanIntervalMs = null } = {}) {
  if (intervalCv === null || intervalCv === undefined || placements - 1 < MIN_INTERVALS) {
    return `Too few pixels (${placements}) to judge their rhythm.`;
  }
  const every = meanIntervalMs === null || meanIntervalMs === undefined ? '' : ` every ${meanIntervalMs} ms on average`;
  const spread = `intervals vary by ${percent(intervalCv)}`;
  if (intervalCv < 0.1) return `Near-constant rhythm: one pixel${every}, ${spread} (a timer's tell).`;
  if (intervalCv < 0.5) return `Fairly regular rhythm: one pixel${every}, ${spread}.`;
  return `Irregular rhythm, like a person: one pixel${every}, ${spread}.`;
}

/** Each signal of a suspect as a sentence, in the order the score weighs them. */
export function signalTexts(suspect) {
  const s = suspect?.signals ?? {};
  const share = Number(s.noBootstrapShare ?? 0);
  return [
    rhythmText(s),
    share > 0
      ? `${percent(share)} of pixels came from an address that had not loaded the canvas.`
      : 'Every pixel came from an address that had loaded the canvas.',
    s.noSession ? 'Painted without a session token.' : 'Painted with a session token.',
  ];
}

/** Where and when a suspect painted, for context. */
export function contextText(suspect) {
  const when = (t) => String(t ?? '?').replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const n = suspect?.signals?.placements ?? 0;
  return `${n} pixel${n === 1 ? '' : 's'} from ${suspect?.lastIp ?? 'an unknown address'}, ${when(suspect?.firstAt)} – ${when(suspect?.lastAt)}.`;
}

/**
 * The request behind `action` for `suspect`, or null when the server does not
 * offer it (proof of work off) or offers something other than the documented
 * POST to the action's path for this very user.
 */
export function actionRequest(suspect, action) {
  const r = suspect?.actions?.[action.key];
  if (!r || r.method !== 'POST' || r.path !== action.path) return null;
  if (!r.body || typeof r.body !== 'object' || r.body.userId !== suspect.userId) return null;
  return { method: 'POST', path: r.path, body: r.body };
}

/** The question asked before `action` is sent. */
export function confirmText(suspect, action, request) {
  const who = suspect.userId;
  switch (action.key) {
    case 'requireProofOfWork':
      return `Require ${who} to solve a new proof of work before their next pixel?`;
    case 'ban':
      return `Ban ${who} permanently (reason "${request.body.reason ?? ''}")?`;
    case 'rollback':
      return `Roll back every pixel of ${who} since ${request.body.since}? Their pixels get their earlier colours back.`;
    default:
      return `${action.label} ${who}?`;
  }
}

/** The result of a sent action in words. */
export function resultText(suspect, action, answer) {
  const who = suspect.userId;
  switch (action.key) {
    case 'requireProofOfWork':
      return answer?.hadSolution
        ? `${who} must solve a new proof of work before their next pixel.`
        : `${who} had no solution to end; they must solve one before painting.`;
    case 'ban':
      return `Banned ${who}${answer?.id ? ` (${answer.id})` : ''}.`;
    case 'rollback':
      return `Rolled back ${answer?.pixelsChanged ?? 0} pixels of ${who}${answer?.fromSeq ? ` (seqs ${answer.fromSeq}–${answer.toSeq})` : ''}.`;
    default:
      return `${action.label}: done.`;
  }
}
