package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Tool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageParserTest {
  private final Palette palette = Palette.defaultPalette();
  private final MessageParser parser = new MessageParser(palette, 900, 900);

  private static String paint(String data) {
    return "{\"type\":\"pixel:update\",\"id\":\"c1\",\"data\":" + data + "}";
  }

  @Test
  void theSeedsExampleMessageIsAValidPaintAndItsUserIdIsIgnored() {
    ClientMessage m = parser.parse(paint("{\"x\":100,\"y\":200,\"color\":\"#FF0000\",\"tool\":\"brush\","
        + "\"clientTimestamp\":\"2025-01-18T19:53:00Z\",\"userId\":\"user123\"}"));
    assertThat(m).isEqualTo(new ClientMessage.Paint("c1", 100, 200, palette.indexOf("#FF0000"), Tool.BRUSH));
  }

  @Test
  void theEraserPaintsTheBackgroundWithoutAColour() {
    assertThat(parser.parse(paint("{\"x\":1,\"y\":2,\"tool\":\"eraser\"}")))
        .isEqualTo(new ClientMessage.Paint("c1", 1, 2, 0, Tool.ERASER));
  }

  @Test
  void anUnknownColourIsInvalidColour() {
    assertThat(parser.parse(paint("{\"x\":1,\"y\":2,\"color\":\"#123456\"}")))
        .isInstanceOfSatisfying(ClientMessage.InvalidPaint.class,
            p -> assertThat(p.reason()).isEqualTo(RejectReason.INVALID_COLOR));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"x\":900,\"y\":0,\"color\":\"#000000\"}", "{\"x\":-1,\"y\":0,\"color\":\"#000000\"}",
      "{\"x\":0,\"y\":99999999999999999999,\"color\":\"#000000\"}", "{\"x\":0,\"y\":900,\"color\":\"#000000\"}"})
  void coordinatesOutsideTheCanvasAreOutOfBounds(String data) {
    assertThat(parser.parse(paint(data))).isInstanceOfSatisfying(ClientMessage.InvalidPaint.class,
        p -> assertThat(p.reason()).isEqualTo(RejectReason.OUT_OF_BOUNDS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"x\":1.5,\"y\":0,\"color\":\"#000000\"}", "{\"x\":\"1\",\"y\":0,\"color\":\"#000000\"}",
      "{\"x\":1,\"color\":\"#000000\"}", "{\"x\":1,\"y\":1,\"color\":5}", "{\"x\":1,\"y\":1}",
      "{\"x\":1,\"y\":1,\"color\":\"#000000\",\"tool\":\"bucket\"}", "{\"x\":1,\"y\":1,\"color\":\"#000000\",\"tool\":\"rollback\"}",
      "[1,2]", "null", "{\"x\":1e2,\"y\":1,\"color\":\"#000000\"}", "{\"x\":true,\"y\":1,\"color\":\"#000000\"}"})
  void wrongTypesAreMalformedAndNeverCoerced(String data) {
    assertThat(parser.parse(paint(data))).isInstanceOfSatisfying(ClientMessage.InvalidPaint.class,
        p -> assertThat(p.reason()).isEqualTo(RejectReason.MALFORMED));
  }

  @Test
  void theRejectEchoesNumericCoordinatesAsSent() {
    assertThat(parser.parse(paint("{\"x\":1000,\"y\":-3,\"color\":\"#000000\"}")))
        .isInstanceOfSatisfying(ClientMessage.InvalidPaint.class, p -> {
          assertThat(p.xJson()).isEqualTo("1000");
          assertThat(p.yJson()).isEqualTo("-3");
        });
  }

  @Test
  void aTooLongOrNonStringIdIsMalformed() {
    String longId = "x".repeat(MessageParser.MAX_ID_LENGTH + 1);
    assertThat(parser.parse("{\"type\":\"pixel:update\",\"id\":\"" + longId + "\",\"data\":{\"x\":1,\"y\":1,\"color\":\"#000000\"}}"))
        .isInstanceOfSatisfying(ClientMessage.InvalidPaint.class,
            p -> assertThat(p.reason()).isEqualTo(RejectReason.MALFORMED));
    assertThat(parser.parse("{\"type\":\"pixel:update\",\"id\":{},\"data\":{\"x\":1,\"y\":1,\"color\":\"#000000\"}}"))
        .isInstanceOf(ClientMessage.InvalidPaint.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "", "[]", "42", "{\"type\":7}", "{\"type\":\"pixel:explode\"}", "{\"data\":{}}",
      "{\"type\":\"heartbeat\",\"type\":\"pixel:update\"}"})
  void framesThatAreNotKnownMessagesAreMalformed(String frame) {
    assertThat(parser.parse(frame)).isInstanceOf(ClientMessage.Malformed.class);
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutParsingItAll() {
    String deep = "{\"type\":\"heartbeat\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThat(parser.parse(deep)).isInstanceOf(ClientMessage.Malformed.class);
  }

  @Test
  void heartbeatsAndStrokeMarkersAreRecognised() {
    assertThat(parser.parse("{\"type\":\"heartbeat\"}")).isInstanceOf(ClientMessage.Heartbeat.class);
    assertThat(parser.parse("{\"type\":\"pixel:stroke:start\",\"data\":{}}")).isInstanceOf(ClientMessage.StrokeMarker.class);
    assertThat(parser.parse("{\"type\":\"pixel:stroke:end\"}")).isInstanceOf(ClientMessage.StrokeMarker.class);
  }
}
