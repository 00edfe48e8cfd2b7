package dev.pixels.moderation;

import dev.pixels.identity.Identity;
import dev.pixels.ratelimit.RateLimiter;
import dev.pixels.realtime.PaintPolicy;
import dev.pixels.realtime.RejectReason;
import dev.pixels.realtime.Verdict;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The paint policy, in the order that wastes nothing: bans, then region locks, then the
 * per-user limit, then the per-IP limit. A pixel refused by a ban or a lock spends no rate-limit
 * permit. Admins skip every check.
 *
 * <p>Thread-safe: called on every event loop; the moderation state it reads is published through
 * volatile immutable objects, and the limiters are thread-safe.
 */
public final class SafetyPolicy implements PaintPolicy {
  private static final Verdict.Rejection LOCKED =
      new Verdict.Rejection(RejectReason.LOCKED_REGION, "this area is locked by a moderator; see GET /locks");

  private final Moderation moderation;
  private final RateLimiter perUser;
  private final RateLimiter perIp;
  private final InstantSource clock;

  public SafetyPolicy(Moderation moderation, RateLimiter perUser, RateLimiter perIp, InstantSource clock) {
    this.moderation = moderation;
    this.perUser = perUser;
    this.perIp = perIp;
    this.clock = clock;
  }

  @Override
  public Verdict check(Identity who, int x, int y) {
    if (who.isAdmin()) {
      return Verdict.ALLOW;
    }
    long nowMillis = clock.millis();
    Ban ban = moderation.banOf(who, Instant.ofEpochMilli(nowMillis));
    if (ban != null) {
      return new Verdict.Rejection(RejectReason.BANNED, ban.until() == null
          ? "you are banned from painting" : "you are banned from painting until " + ban.until());
    }
    if (moderation.isLocked(x, y, nowMillis)) {
      return LOCKED;
    }
    long wait = perUser.tryAcquire(who.userId());
    if (wait > 0) {
      return new Verdict.Rejection(RejectReason.RATE_LIMITED, "too many pixels; wait before painting again", wait);
    }
    wait = perIp.tryAcquire(who.remoteIp());
    if (wait > 0) {
      return new Verdict.Rejection(RejectReason.RATE_LIMITED,
          "too many pixels from your network address; wait before painting again", wait);
    }
    return Verdict.ALLOW;
  }
}
