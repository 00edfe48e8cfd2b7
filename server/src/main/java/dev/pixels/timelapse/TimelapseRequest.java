package dev.pixels.timelapse;

import dev.pixels.canvas.Region;

/**
 * What one timelapse shows and how: a region of the canvas over a time range, a frame every
 * {@link Interval}, played at {@code fps}, each canvas pixel drawn as a {@code scale}×{@code scale}
 * square, written as {@code format}.
 *
 * <p>The constructor checks every bound, so that a request that exists can be rendered: the
 * messages name the valid range and are shown to the client as they are.
 *
 * @param fromMillis the first frame shows the canvas as it stood at this time (epoch ms)
 * @param toMillis the last frame shows the canvas as it stood at this time, inclusive
 */
public record TimelapseRequest(Region region, long fromMillis, long toMillis, Interval interval, int fps, int scale,
    Format format) {
  public static final int MIN_FPS = 1;
  public static final int MAX_FPS = 60;
  public static final int MIN_SCALE = 1;
  public static final int MAX_SCALE = 16;
  /** Most frames one timelapse may have: at 30 fps, about five and a half minutes. */
  public static final int MAX_FRAMES = 10_000;
  /** Largest side of an output frame, in output pixels. */
  public static final int MAX_FRAME_SIDE = 4096;
  /** Most pixels placed per frame. */
  public static final long MAX_PIXELS_PER_FRAME = 100_000_000L;
  /** Longest canvas time per frame: a week. */
  public static final long MAX_MILLIS_PER_FRAME = 7L * 24 * 3600 * 1000;
  /** Earliest time a request may name (2000-01-01T00:00:00Z): no canvas is older. */
  public static final long EARLIEST_MILLIS = 946_684_800_000L;
  /** Latest time a request may name (9999-12-31T23:59:59.999Z). */
  public static final long LATEST_MILLIS = 253_402_300_799_999L;

  /** How far apart two frames are: in pixels placed, or in canvas time. */
  public sealed interface Interval {
    /** A frame after every {@code pixels} placements. */
    record Pixels(long pixels) implements Interval {}

    /** A frame for every {@code millis} of canvas time. */
    record Millis(long millis) implements Interval {}
  }

  /** The output file's kind. GIF needs nothing but the JDK; the video formats need ffmpeg. */
  public enum Format {
    GIF("gif", "image/gif"),
    MP4("mp4", "video/mp4"),
    WEBM("webm", "video/webm");

    private final String extension;
    private final String mediaType;

    Format(String extension, String mediaType) {
      this.extension = extension;
      this.mediaType = mediaType;
    }

    public String extension() {
      return extension;
    }

    public String mediaType() {
      return mediaType;
    }

    public boolean isVideo() {
      return this != GIF;
    }

    /** The format named {@code name} (any case), or null. */
    public static Format named(String name) {
      for (Format f : values()) {
        if (f.extension.equalsIgnoreCase(name)) {
          return f;
        }
      }
      return null;
    }
  }

  /** A refused request; the message says which value is wrong and what would be accepted. */
  public static final class Invalid extends IllegalArgumentException {
    public Invalid(String message) {
      super(message);
    }
  }

  public TimelapseRequest {
    if (region == null || interval == null || format == null) {
      throw new Invalid("region, interval and format are required");
    }
    if (fromMillis < EARLIEST_MILLIS || fromMillis > LATEST_MILLIS || toMillis < EARLIEST_MILLIS
        || toMillis > LATEST_MILLIS) {
      throw new Invalid("from and to must lie between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
    }
    if (toMillis <= fromMillis) {
      throw new Invalid("to must be after from");
    }
    if (fps < MIN_FPS || fps > MAX_FPS) {
      throw new Invalid("fps must be in " + MIN_FPS + ".." + MAX_FPS);
    }
    if (scale < MIN_SCALE || scale > MAX_SCALE) {
      throw new Invalid("scale must be in " + MIN_SCALE + ".." + MAX_SCALE);
    }
    long outWidth = (long) (region.x2() - region.x1() + 1) * scale;
    long outHeight = (long) (region.y2() - region.y1() + 1) * scale;
    if (outWidth > MAX_FRAME_SIDE || outHeight > MAX_FRAME_SIDE) {
      throw new Invalid("the region times scale is " + outWidth + "x" + outHeight + " pixels; each side must be at most "
          + MAX_FRAME_SIDE + ": choose a smaller scale or region");
    }
    switch (interval) {
      case Interval.Pixels p when p.pixels() < 1 || p.pixels() > MAX_PIXELS_PER_FRAME ->
          throw new Invalid("everyPixels must be in 1.." + MAX_PIXELS_PER_FRAME);
      case Interval.Millis m when m.millis() < 1 || m.millis() > MAX_MILLIS_PER_FRAME ->
          throw new Invalid("everyMillis must be in 1.." + MAX_MILLIS_PER_FRAME);
      case Interval.Millis m when framesFor(toMillis - fromMillis, m.millis()) > MAX_FRAMES ->
          throw new Invalid("from..to at one frame every " + m.millis() + " ms makes "
              + framesFor(toMillis - fromMillis, m.millis()) + " frames; at most " + MAX_FRAMES
              + " are allowed, so everyMillis must be at least " + minMillisPerFrame(toMillis - fromMillis));
      default -> { }
    }
  }

  /** Frames of a time-interval timelapse over {@code spanMillis}: the start, then one per interval up to the end. */
  static long framesFor(long spanMillis, long millisPerFrame) {
    return (spanMillis + millisPerFrame - 1) / millisPerFrame + 1;
  }

  static long minMillisPerFrame(long spanMillis) {
    return (spanMillis + MAX_FRAMES - 2) / (MAX_FRAMES - 1);
  }

  /** Width of an output frame, in output pixels. */
  public int frameWidth() {
    return (region.x2() - region.x1() + 1) * scale;
  }

  /** Height of an output frame, in output pixels. */
  public int frameHeight() {
    return (region.y2() - region.y1() + 1) * scale;
  }
}
