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
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A property test: throws random and mutated frames at a live server. After every try: the server is healthy, an
 * unrelated client is still served, and the canvas is exactly the acknowledged pixels applied in
 * seq order, each of which was sent as a valid frame.
 *
 * <p>Each try is generated from its seed (shown in the test name), so a failure reproduces exactly.
 * The generator is a few lines of {@link Random} rather than a property-testing library.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFramesPropertyTest {
  private static final int TRIES = 40;
  private static final int SIDE = 16;
  private static final Palette PALETTE = Palette.defaultPalette();
  private static TestServer server;
  private static Canvas expected;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("CANVAS_WIDTH", Integer.toString(SIDE), "CANVAS_HEIGHT", Integer.toString(SIDE),
        "WS_MAX_VIOLATIONS", "1000000"));
    expected = new Canvas(SIDE, SIDE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static LongStream seeds() {
    return LongStream.range(0, TRIES).map(i -> 0x5EED_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void junkOnTheSocketNeverHurtsTheServerOtherClientsOrTheCanvas(long seed) {
    List<String> frames = frames(new Random(seed));
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

  /** 1 to 25 frames, each valid-looking, mutated once or twice, random junk, or a known hostile shape. */
  static List<String> frames(Random random) {
    List<String> frames = new ArrayList<>();
    int count = 1 + random.nextInt(25);
    for (int i = 0; i < count; i++) {
      frames.add(switch (random.nextInt(5)) {
        case 0 -> validish(random);
        case 1 -> mutated(random, validish(random));
        case 2 -> mutated(random, mutated(random, validish(random)));
        case 3 -> junk(random);
        default -> pick(random, HOSTILE_SHAPES);
      });
    }
    return frames;
  }

  private static <T> T pick(Random random, List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private static final List<String> ODD_COLORS = List.of("#ff0000", "#GGGGGG", "red", "", "#FFFFF");
  private static final List<String> TOOLS = java.util.Arrays.asList("brush", "eraser", "bucket", null);
  private static final List<String> INSERTS = List.of("1.5", "\"1\"", "-1", "1e309", "99999999999999999999999",
      "null", "{", "}", "[", "\"", "\\", ",", ":", "\u0000", "\uD800", "true", "[[[[[[[[[[1]]]]]]]]]]");

  private static String validish(Random random) {
    int x = random.nextInt(SIDE + 5) - 2;
    int y = random.nextInt(SIDE + 5) - 2;
    String color = random.nextBoolean() ? pick(random, PALETTE.colors()) : pick(random, ODD_COLORS);
    String tool = pick(random, TOOLS);
    JsonObject data = new JsonObject().put("x", x).put("y", y).put("color", color);
    if (tool != null) {
      data.put("tool", tool);
    }
    return new JsonObject().put("type", "pixel:update").put("id", "h" + x + "_" + y).put("data", data).encode();
  }

  /** Inserts, deletes, truncates or replaces a number: the edits that turn valid JSON into near-misses. */
  private static String mutated(Random random, String frame) {
    int at = Math.min(random.nextInt(201), frame.length());
    String text = pick(random, INSERTS);
    return switch (random.nextInt(4)) {
      case 0 -> frame.substring(0, at) + text + frame.substring(at);
      case 1 -> frame.substring(0, at) + frame.substring(Math.min(frame.length(), at + 3));
      case 2 -> frame.substring(0, at);
      default -> frame.replaceFirst("\\d+", java.util.regex.Matcher.quoteReplacement(text));
    };
  }

  /** Any UTF-16 text up to 300 chars, lone surrogates and control characters included. */
  private static String junk(Random random) {
    char[] chars = new char[random.nextInt(301)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80));
    }
    return new String(chars);
  }

  private static final List<String> HOSTILE_SHAPES = List.of(
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
