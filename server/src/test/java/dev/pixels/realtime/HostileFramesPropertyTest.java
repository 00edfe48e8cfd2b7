package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Throws random and mutated frames at a live server. After every try: the server is healthy, an
 * unrelated client is still served, and the canvas is exactly the acknowledged pixels applied in
 * seq order, each of which was sent as a valid frame.
 */
class HostileFramesPropertyTest {
  private static final int SIDE = 16;
  private static final Palette PALETTE = Palette.defaultPalette();
  private static TestServer server;
  private static Canvas expected;

  @BeforeContainer
  static void start() {
    server = TestServer.start(Map.of("CANVAS_WIDTH", Integer.toString(SIDE), "CANVAS_HEIGHT", Integer.toString(SIDE),
        "WS_MAX_VIOLATIONS", "1000000"));
    expected = new Canvas(SIDE, SIDE);
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Property(tries = 40)
  void junkOnTheSocketNeverHurtsTheServerOtherClientsOrTheCanvas(@ForAll("frames") List<String> frames) {
    List<JsonObject> answers = new ArrayList<>();
    try (WsClient hostile = server.connect(); WsClient bystander = server.connect()) {
      hostile.next("canvas:state");
      bystander.next("canvas:state");
      frames.forEach(hostile::sendText);
      hostile.sendText(paint("sentinel", 0, 0, "#000000"));
      answers.add(hostile.answerTo("sentinel"));
      answers.addAll(hostile.unread(Duration.ZERO));
      answers.addAll(hostile.seen());
      JsonObject served = bystander.answerTo(bystander.paint(SIDE - 1, SIDE - 1, "#FF0000"));
      assertThat(served.getString("type")).isEqualTo("pixel:ack");
      answers.add(served);
      assertThat(hostile.isClosed()).as("malformed input never needlessly closes the connection").isFalse();
    }

    List<JsonObject> acks = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (JsonObject m : answers) {
      if ("pixel:ack".equals(m.getString("type")) && seen.add(m.getJsonObject("data").getLong("seq"))) {
        acks.add(m.getJsonObject("data"));
      }
    }
    acks.sort(Comparator.comparingLong(a -> a.getLong("seq")));
    for (JsonObject ack : acks) {
      if (!"sentinel".equals(ack.getString("id")) && ack.getInteger("x") != SIDE - 1) {
        assertThat(sentAsValid(frames, ack)).as("ack %s answers a valid frame", ack).isTrue();
      }
      assertThat(ack.getLong("seq")).isEqualTo(expected.seq() + 1);
      expected.apply(new dev.pixels.canvas.PixelChange(ack.getLong("seq"), ack.getInteger("x"), ack.getInteger("y"),
          PALETTE.indexOf(ack.getString("color")), 0, "", 0, dev.pixels.canvas.Tool.BRUSH));
    }
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    assertThat(server.get("/canvas").body()).isEqualTo(expected.copyPixels());
  }

  /** True if some frame sent was a well-formed pixel:update for exactly this pixel and colour. */
  private static boolean sentAsValid(List<String> frames, JsonObject ack) {
    for (String frame : frames) {
      try {
        JsonObject json = new JsonObject(frame);
        JsonObject data = json.getJsonObject("data");
        if ("pixel:update".equals(json.getString("type")) && data != null
            && data.getValue("x") instanceof Integer x && x.equals(ack.getInteger("x"))
            && data.getValue("y") instanceof Integer y && y.equals(ack.getInteger("y"))
            && (data.getValue("color") instanceof String c && c.equalsIgnoreCase(ack.getString("color"))
                || "eraser".equals(data.getValue("tool")) && ack.getString("color").equals(PALETTE.color(0)))) {
          return true;
        }
      } catch (RuntimeException notJson) {
        // not a candidate
      }
    }
    return false;
  }

  private static String paint(String id, int x, int y, String color) {
    return new JsonObject().put("type", "pixel:update").put("id", id)
        .put("data", new JsonObject().put("x", x).put("y", y).put("color", color)).encode();
  }

  @Provide
  Arbitrary<List<String>> frames() {
    return Arbitraries.oneOf(validish(), mutated(validish()), mutated(mutated(validish())), junk(), hostileShapes())
        .list().ofMinSize(1).ofMaxSize(25);
  }

  private static Arbitrary<String> validish() {
    Arbitrary<Integer> coord = Arbitraries.integers().between(-2, SIDE + 2);
    Arbitrary<String> color = Arbitraries.oneOf(Arbitraries.of(PALETTE.colors()),
        Arbitraries.of("#ff0000", "#GGGGGG", "red", "", "#FFFFF"));
    Arbitrary<String> tool = Arbitraries.of("brush", "eraser", "bucket", null);
    return Combinators.combine(coord, coord, color, tool).as((x, y, c, t) -> {
      JsonObject data = new JsonObject().put("x", x).put("y", y).put("color", c);
      if (t != null) {
        data.put("tool", t);
      }
      return new JsonObject().put("type", "pixel:update").put("id", "h" + x + "_" + y).put("data", data).encode();
    });
  }

  private static Arbitrary<String> mutated(Arbitrary<String> base) {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 200);
    Arbitrary<String> insert = Arbitraries.of("1.5", "\"1\"", "-1", "1e309", "99999999999999999999999", "null", "{",
        "}", "[", "\"", "\\", ",", ":", "\u0000", "\uD800", "true", "[[[[[[[[[[1]]]]]]]]]]");
    Arbitrary<Integer> op = Arbitraries.integers().between(0, 3);
    return Combinators.combine(base, position, insert, op).as((frame, pos, text, kind) -> {
      int at = Math.min(pos, frame.length());
      return switch (kind) {
        case 0 -> frame.substring(0, at) + text + frame.substring(at);
        case 1 -> frame.substring(0, at) + frame.substring(Math.min(frame.length(), at + 3));
        case 2 -> frame.substring(0, at);
        default -> frame.replaceFirst("\\d+", java.util.regex.Matcher.quoteReplacement(text));
      };
    });
  }

  private static Arbitrary<String> junk() {
    return Arbitraries.strings().all().ofMaxLength(300);
  }

  private static Arbitrary<String> hostileShapes() {
    return Arbitraries.of(
        "[".repeat(2000) + "]".repeat(2000),
        "{\"type\":\"pixel:update\",\"data\":" + "{\"a\":".repeat(50) + "1" + "}".repeat(50) + "}",
        "{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(5000) + "\"}",
        "{\"type\":\"pixel:update\",\"type\":\"heartbeat\"}",
        "{\"type\":\"pixel:update\",\"id\":\"" + "i".repeat(100) + "\",\"data\":{\"x\":1,\"y\":1,\"color\":\"#000000\"}}",
        "{\"type\":\"pixel:update\",\"data\":{\"x\":1.0,\"y\":1,\"color\":\"#000000\"}}",
        "{\"type\":\"pixel:update\",\"data\":{\"x\":\"1\",\"y\":1,\"color\":\"#000000\"}}",
        "{\"type\":\"pixel:update\",\"data\":{\"x\":4294967297,\"y\":1,\"color\":\"#000000\"}}",
        "{\"type\":\"pixel:update\",\"data\":{\"x\":1,\"y\":1,\"color\":\"#000000\",\"tool\":\"rollback\"}}",
        "{\"type\":42}", "null", "[]", "\"pixel:update\"", "{}", "");
  }
}
