package dev.pixels.canvas;

/** How a pixel was painted; the eraser always paints the background, index 0. */
public enum Tool {
  BRUSH("brush"),
  ERASER("eraser"),
  /** A moderator's rollback of one user's work; never accepted from clients. */
  ROLLBACK("rollback"),
  /** A moderator's rewind of a region to an earlier time; never accepted from clients. */
  REWIND("rewind");

  private final String wireName;

  Tool(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON and in the log. */
  public String wireName() {
    return wireName;
  }

  /** The tool named {@code name} on the wire, or null if there is none. */
  public static Tool fromWire(String name) {
    for (Tool tool : values()) {
      if (tool.wireName.equals(name)) {
        return tool;
      }
    }
    return null;
  }
}
