package dev.pixels.cluster;

import java.time.Duration;

/**
 * How an instance joins the others: where the shared Redis is, the per-user limits Redis enforces,
 * and how long an accepted pixel may wait for its log entry to be stored before it is answered
 * {@code unavailable} (a rebuild after a Redis flush waits this long too).
 */
public record ClusterSettings(RedisSettings redis, Duration durabilityTimeout, SharedRateLimit rateLimit) {}
