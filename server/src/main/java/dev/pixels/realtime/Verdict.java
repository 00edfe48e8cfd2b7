package dev.pixels.realtime;

/** A {@link PaintPolicy}'s answer for one pixel: {@link #ALLOW} or a {@link Rejection}. */
public sealed interface Verdict permits Verdict.Allow, Verdict.Rejection {

  /** The pixel may be painted. */
  Verdict ALLOW = Allow.INSTANCE;

  /** The single "allowed" verdict; an enum so that it allocates nothing per pixel. */
  enum Allow implements Verdict {
    INSTANCE
  }

  /**
   * The pixel is refused.
   *
   * @param retryAfterMs when a retry could succeed, or 0 if waiting will not help
   */
  record Rejection(RejectReason reason, String message, long retryAfterMs) implements Verdict {
    public Rejection(RejectReason reason, String message) {
      this(reason, message, 0);
    }
  }
}
