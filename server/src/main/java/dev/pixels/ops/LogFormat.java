package dev.pixels.ops;

/** How log lines are written to standard output. */
public enum LogFormat {
  /** Human-readable lines, for development. */
  TEXT,
  /** One JSON object per line, for log collectors. */
  JSON
}
