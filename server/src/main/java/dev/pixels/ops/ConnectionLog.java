package dev.pixels.ops;

import dev.pixels.realtime.Session;
import dev.pixels.realtime.SocketHandler;
import dev.pixels.text.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs each WebSocket connection twice: when it opens and when it closes, with its connection id,
 * user id and, for the close, the code and reason. Nothing is logged per frame or per pixel.
 *
 * <p>Every value a client can influence (the close reason, the user id, the forwarded address) is
 * escaped with {@link LogText}, so none can break a record into lines.
 *
 * <p>Client addresses are personal data: they are logged only when built with {@link #withIps()}
 * ({@code LOG_IPS=true}).
 */
public final class ConnectionLog implements SocketHandler.Listener {
  private static final Logger log = LoggerFactory.getLogger("dev.pixels.connections");

  private final boolean includeIps;

  private ConnectionLog(boolean includeIps) {
    this.includeIps = includeIps;
  }

  public static ConnectionLog withIps() {
    return new ConnectionLog(true);
  }

  public static ConnectionLog withoutIps() {
    return new ConnectionLog(false);
  }

  @Override
  public void connected(Session session) {
    about(log.atInfo(), session).log("connection opened");
  }

  @Override
  public void disconnected(Session session, Short closeCode, String closeReason) {
    about(log.atInfo(), session)
        .addKeyValue("closeCode", closeCode == null ? "none" : closeCode.toString())
        .addKeyValue("reason", closeReason == null || closeReason.isEmpty() ? "none" : LogText.escape(closeReason))
        .log("connection closed");
  }

  @Override
  public void upgradeRefused(int status) {
    log.atDebug().addKeyValue("status", status).log("websocket upgrade refused");
  }

  private LoggingEventBuilder about(LoggingEventBuilder event, Session session) {
    event = event.addKeyValue("connectionId", session.connectionId())
        .addKeyValue("userId", LogText.escape(session.identity().userId()));
    if (includeIps) {
      event = event.addKeyValue("remote", LogText.escape(session.identity().remoteIp()));
    }
    return event;
  }
}
