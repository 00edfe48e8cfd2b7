package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that asks for {@code pixels.v1.bin} gets binary bulk updates and JSON for the rest. */
class BinaryProtocolTest {

  @Test
  void aClientThatNegotiatesTheBinarySubprotocolGetsBinaryBulkUpdatesWithTheRightHash() throws Exception {
    Palette palette = Palette.defaultPalette();
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start()) {
      LinkedBlockingQueue<Buffer> binary = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<JsonObject> text = new LinkedBlockingQueue<>();
      // Kept in a variable: Vert.x closes a client that is no longer referenced.
      io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
      ClientWebSocket ws = client.webSocket();
      ws.binaryMessageHandler(binary::add);
      ws.textMessageHandler(t -> text.add(new JsonObject(t)));
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port()).setURI("/ws")
          .setSubProtocols(List.of(BulkUpdateCodec.BINARY_SUBPROTOCOL))).await(10, TimeUnit.SECONDS);
      assertThat(ws.subProtocol()).isEqualTo(BulkUpdateCodec.BINARY_SUBPROTOCOL);
      assertThat(text.poll(10, TimeUnit.SECONDS).getString("type")).isEqualTo("canvas:state");

      try (WsClient painter = server.connect()) {
        painter.answerTo(painter.paint(3, 4, "#FF0000"));
        painter.answerTo(painter.paint(899, 899, "#000000"));
      }

      Canvas expected = new Canvas(900, 900);
      long seq = 0;
      while (seq < 2) {
        ByteBuffer frame = ByteBuffer.wrap(binary.poll(10, TimeUnit.SECONDS).getBytes());
        assertThat(frame.get()).isEqualTo(BulkUpdateCodec.BINARY_BULK_UPDATE);
        assertThat(frame.get()).isEqualTo(BulkUpdateCodec.BINARY_VERSION);
        frame.getShort();
        long from = frame.getLong();
        long to = frame.getLong();
        frame.getLong();
        byte[] hash = new byte[32];
        frame.get(hash);
        int count = frame.getInt();
        assertThat(from).isEqualTo(seq + 1);
        assertThat(count).isEqualTo((int) (to - from + 1));
        for (int i = 0; i < count; i++) {
          expected.set(frame.getShort() & 0xFFFF, frame.getShort() & 0xFFFF, frame.get() & 0xFF);
        }
        assertThat(frame.hasRemaining()).isFalse();
        assertThat(HexFormat.of().formatHex(hash)).isEqualTo(expected.sha256Hex());
        seq = to;
      }
      assertThat(expected.get(3, 4)).isEqualTo(palette.indexOf("#FF0000"));
      assertThat(text).noneMatch(m -> "pixel:bulk_update".equals(m.getString("type")));
      client.close();
    } finally {
      vertx.close();
    }
  }
}
