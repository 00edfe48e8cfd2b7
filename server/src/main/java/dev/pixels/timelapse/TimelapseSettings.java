package dev.pixels.timelapse;

/**
 * Limits of the timelapse jobs.
 *
 * @param maxBytes finished files are deleted, oldest first, while together they are larger; a
 *     single output larger than this fails its job
 * @param queue jobs that may wait behind the one rendering; more are refused with 429
 * @param ffmpeg the ffmpeg command for MP4 and WebM: a name looked up on the PATH, or a path
 */
public record TimelapseSettings(long maxBytes, int queue, String ffmpeg) {
  public static final long MIN_MAX_BYTES = 1024L * 1024;
  public static final long MAX_MAX_BYTES = 1024L * 1024 * 1024 * 1024;
  public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;
  public static final int DEFAULT_QUEUE = 4;
  public static final int MAX_QUEUE = 100;
}
