package dev.pixels.realtime;

import dev.pixels.canvas.Palette;

/**
 * The answers to one connection's pixels: the socket side of {@link PixelReply}. Made once per
 * connection, so a painted pixel costs no allocation for it.
 */
final class SessionReply implements PixelReply {
  private final Session session;
  private final Palette palette;

  SessionReply(Session session, Palette palette) {
    this.session = session;
    this.palette = palette;
  }

  @Override
  public Object lane() {
    return session.loop();
  }

  @Override
  public void execute(Runnable task) {
    session.context().runOnContext(v -> task.run());
  }

  @Override
  public void ack(PixelRequest request, long seq) {
    session.sendText(ServerMessages.ack(request, seq, palette));
  }

  @Override
  public void reject(PixelRequest request, Verdict.Rejection rejection) {
    session.sendText(ServerMessages.reject(request, rejection));
  }
}
