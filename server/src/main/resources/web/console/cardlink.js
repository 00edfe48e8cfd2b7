// Links the pixel-info card to the moderator console. While a moderator is
// signed in, lookups carry the admin token, so the server's answer names the
// raw user id, and the card offers "Inspect user", which opens that user's
// recent pixels in the console. Signed out, lookups stay anonymous and the
// card shows no admin action: the token never leaves the page before sign-in.

import { onPixelCard, setLookupToken } from '../pixelinfo.js';

export function linkCardToConsole(moderator) {
  setLookupToken(() => (moderator.api.signedIn ? moderator.api.token : null));
  onPixelCard(({ info, actions }) => {
    const userId = info?.placement?.userId;
    if (!userId || !moderator.api.signedIn) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'inspect-user';
    button.textContent = 'Inspect user';
    button.addEventListener('click', () => moderator.openUser(userId));
    actions.append(button);
  });
}
