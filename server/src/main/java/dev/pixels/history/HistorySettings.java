package dev.pixels.history;

import java.time.Duration;

/**
 * Settings of the history scrubber and the placement export.
 *
 * @param pointInterval canvas time between two history points the scrubber can show
 * @param cachedPoints history point renderings kept in memory at once
 * @param restHistoryPerMinute requests to {@code /history} and its points per client address and
 *     minute; 0 disables
 * @param exportPublic true opens {@code /export/placements.csv.gz} to everyone, under {@code
 *     restExportPerMinute}; false keeps it for the admin token
 * @param restExportPerMinute exports per client address and minute when public; 0 disables
 * @param maxConcurrentExports exports streaming at once, admins' included; more are answered 503
 * @param exportStallTimeout an export whose client reads nothing for this long is cut off
 */
public record HistorySettings(Duration pointInterval, int cachedPoints, int restHistoryPerMinute,
    boolean exportPublic, int restExportPerMinute, int maxConcurrentExports, Duration exportStallTimeout) {}
