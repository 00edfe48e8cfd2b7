package dev.pixels.realtime;

import dev.pixels.identity.Identity;

/**
 * Decides whether a well-formed, in-bounds pixel may be painted: rate limits, region locks, bans.
 *
 * <p>Called on an event loop for every pixel, so an implementation must not block and should not
 * allocate on the allowed path.
 */
public interface PaintPolicy {

  /** Returns {@link Verdict#ALLOW}, or the reason {@code who} may not paint (x, y) now. */
  Verdict check(Identity who, int x, int y);
}
