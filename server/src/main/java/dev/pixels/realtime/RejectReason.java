package dev.pixels.realtime;

/** Why a pixel was refused; the wire names are listed in docs/protocol.md. */
public enum RejectReason {
  INVALID_COLOR("invalid_color"),
  OUT_OF_BOUNDS("out_of_bounds"),
  MALFORMED("malformed"),
  RATE_LIMITED("rate_limited"),
  LOCKED_REGION("locked_region"),
  BANNED("banned"),
  POW_REQUIRED("pow_required"),
  LOGIN_REQUIRED("login_required"),
  UNAVAILABLE("unavailable");

  private final String wireName;

  RejectReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
