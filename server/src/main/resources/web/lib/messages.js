// Wire messages and the words shown to people for each reject reason.

export function pixelUpdate(id, x, y, tool, color) {
  const data = { x, y, tool };
  if (tool !== 'eraser') data.color = color;
  return { type: 'pixel:update', id, data };
}

export function seconds(ms) {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A sentence for a pixel:reject; `remainingMs` drives the countdown. */
export function rejectText(reason, remainingMs, serverMessage) {
  switch (reason) {
    case 'rate_limited':
      return remainingMs > 0
        ? `Slow down: you are painting too fast. You can paint again in ${seconds(remainingMs)} s.`
        : 'Slow down: you are painting too fast. You can paint again now.';
    case 'locked_region':
      return 'That area is locked by a moderator, so the pixel was not placed.';
    case 'pow_required':
      return 'This browser is doing a moment of background work before it may paint. Paint again in a moment.';
    case 'login_required':
      return 'Sign in to paint on this canvas; anyone may watch.';
    case 'banned':
      return 'You are banned from painting on this canvas.';
    case 'unavailable':
      return remainingMs > 0
        ? `The server cannot take pixels right now. Try again in ${seconds(remainingMs)} s.`
        : 'The server cannot take pixels right now. Try again in a moment.';
    case 'invalid_color':
      return 'That colour is not in the palette.';
    case 'out_of_bounds':
      return 'That spot is outside the canvas.';
    case 'malformed':
      return 'The server did not understand that paint request.';
    default:
      return serverMessage ? `Pixel refused: ${serverMessage}` : 'Pixel refused by the server.';
  }
}

/** Reasons whose toast counts down to a moment the user can act again. */
export function hasCountdown(reason) {
  return reason === 'rate_limited' || reason === 'unavailable';
}

export function parseFrame(text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return null;
  return msg;
}
