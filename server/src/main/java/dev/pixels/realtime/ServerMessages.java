package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import dev.pixels.text.JsonText;

/** The small JSON messages a server sends to one client; see docs/protocol.md. */
final class ServerMessages {
  private ServerMessages() {}

  static final String HEARTBEAT = "{\"type\":\"heartbeat\"}";

  static String ack(PixelRequest r, long seq, Palette palette) {
    StringBuilder out = new StringBuilder(96);
    out.append("{\"type\":\"pixel:ack\",\"data\":{\"id\":");
    JsonText.appendQuoted(out, r.clientId());
    return out.append(",\"x\":").append(r.x())
        .append(",\"y\":").append(r.y())
        .append(",\"color\":\"").append(palette.color(r.color()))
        .append("\",\"seq\":").append(seq)
        .append("}}")
        .toString();
  }

  static String reject(String id, String xJson, String yJson, Verdict.Rejection rejection) {
    StringBuilder out = new StringBuilder(160);
    out.append("{\"type\":\"pixel:reject\",\"data\":{\"id\":");
    JsonText.appendQuoted(out, id);
    out.append(",\"x\":").append(xJson == null ? "null" : xJson)
        .append(",\"y\":").append(yJson == null ? "null" : yJson)
        .append(",\"reason\":\"").append(rejection.reason().wireName()).append("\",\"message\":");
    JsonText.appendQuoted(out, rejection.message());
    if (rejection.retryAfterMs() > 0) {
      out.append(",\"retryAfterMs\":").append(rejection.retryAfterMs());
    }
    return out.append("}}").toString();
  }

  static String reject(PixelRequest r, Verdict.Rejection rejection) {
    return reject(r.clientId(), Integer.toString(r.x()), Integer.toString(r.y()), rejection);
  }

  static String error(String reason, String message) {
    StringBuilder out = new StringBuilder(128);
    out.append("{\"type\":\"error\",\"data\":{\"reason\":\"").append(reason).append("\",\"message\":");
    JsonText.appendQuoted(out, message);
    return out.append("}}").toString();
  }

  static String canvasState(int width, int height, Broadcaster.JoinState state, String userId,
      SocketLimits.PaintLimits limits) {
    StringBuilder out = new StringBuilder(200);
    out.append("{\"type\":\"canvas:state\",\"data\":{\"width\":").append(width)
        .append(",\"height\":").append(height)
        .append(",\"seq\":").append(state.seq())
        .append(",\"hash\":\"").append(state.hash())
        .append("\",\"userId\":");
    JsonText.appendQuoted(out, userId);
    if (state.resync()) {
      out.append(",\"resync\":true");
    }
    if (limits != null) {
      out.append(",\"rateLimit\":{\"perSecond\":").append(limits.perSecond())
          .append(",\"burst\":").append(limits.burst())
          .append(",\"perMinute\":").append(limits.perMinute()).append('}');
    }
    return out.append("}}").toString();
  }
}
