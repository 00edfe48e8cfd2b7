package dev.pixels.cluster;

/**
 * The per-user pixel limits enforced inside Redis, so that they hold across instances: a token
 * bucket refilled at {@code perSecond} with room for {@code burst}, and at most {@code perMinute}
 * pixels in any rolling minute. A zero disables that part.
 */
public record SharedRateLimit(int perSecond, int burst, int perMinute) {}
