package dev.pixels.realtime;

/**
 * Where the socket handler hands validated pixels: the seam between accepting a pixel and making
 * it durable. On one machine this is the {@link PixelBatcher}; a distributed implementation may
 * sequence through a shared store instead.
 *
 * <p>An implementation must answer every request it accepts exactly once, through the request's
 * {@link PixelReply} (grouped per lane with {@link Replies}), and acknowledge it only after the
 * pixel is durable.
 */
public interface PixelIntake {

  /** Takes {@code request} for sequencing; false (never blocking) if it is at capacity. */
  boolean offer(PixelRequest request);
}
