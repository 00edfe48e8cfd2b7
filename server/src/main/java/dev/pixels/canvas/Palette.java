package dev.pixels.canvas;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ordered list of colours a pixel may take; a pixel stores its colour's index in this list.
 *
 * <p>Immutable and safe to share. Colours are kept as upper-case {@code #RRGGBB}, and lookups are
 * case-insensitive, so {@code #ff0000} and {@code #FF0000} name the same entry.
 */
public final class Palette {
  /** At most this many colours, because a pixel is one byte. */
  public static final int MAX_COLORS = 256;

  private static final List<String> DEFAULT_COLORS =
      List.of(
          "#FFFFFF", "#E4E4E4", "#888888", "#222222", "#000000", "#FFA7D1", "#E50000", "#FF0000",
          "#E59500", "#A06A42", "#E5D900", "#94E044", "#02BE01", "#00D3DD", "#0083C7", "#0000EA",
          "#CF6EE4", "#820080", "#6D482F", "#FFD635", "#FFF8B8", "#00A368", "#00CC78", "#7EED56",
          "#009EAA", "#2450A4", "#3690EA", "#51E9F4", "#493AC1", "#6A5CFF", "#811E9F", "#FF99AA");

  private final List<String> colors;
  private final Map<String, Integer> indexByColor;
  private final int[] rgb;

  private Palette(List<String> colors) {
    this.colors = Collections.unmodifiableList(new ArrayList<>(colors));
    this.indexByColor = new HashMap<>();
    this.rgb = new int[colors.size()];
    for (int i = 0; i < colors.size(); i++) {
      indexByColor.put(colors.get(i), i);
      rgb[i] = Integer.parseInt(colors.get(i).substring(1), 16);
    }
  }

  /** The 32-colour default; index 0 is the white background. */
  public static Palette defaultPalette() {
    return new Palette(DEFAULT_COLORS);
  }

  /** Parses a comma-separated list such as {@code #FFFFFF,#000000}; index 0 is the background. */
  public static Palette parse(String commaSeparated) {
    List<String> parsed = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      String color = normalise(part.trim());
      if (color == null) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not a #RRGGBB colour");
      }
      if (parsed.contains(color)) {
        throw new IllegalArgumentException("colour " + color + " is listed twice");
      }
      parsed.add(color);
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("the palette needs at least one colour");
    }
    if (parsed.size() > MAX_COLORS) {
      throw new IllegalArgumentException(
          "the palette has " + parsed.size() + " colours; at most " + MAX_COLORS + " fit in a byte");
    }
    return new Palette(parsed);
  }

  /** Returns {@code #RRGGBB} upper-cased, or null if {@code text} is not of that form. */
  static String normalise(String text) {
    if (text == null || text.length() != 7 || text.charAt(0) != '#') {
      return null;
    }
    for (int i = 1; i < 7; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return null;
      }
    }
    return text.toUpperCase(Locale.ROOT);
  }

  /** The index of {@code color} (any case), or -1 if it is not in the palette. */
  public int indexOf(String color) {
    String normalised = normalise(color);
    if (normalised == null) {
      return -1;
    }
    Integer index = indexByColor.get(normalised);
    return index == null ? -1 : index;
  }

  /** The colour at {@code index} as {@code #RRGGBB}. */
  public String color(int index) {
    return colors.get(index);
  }

  /** The colour at {@code index} as 0xRRGGBB. */
  public int rgb(int index) {
    return rgb[index];
  }

  public int size() {
    return colors.size();
  }

  public List<String> colors() {
    return colors;
  }
}
