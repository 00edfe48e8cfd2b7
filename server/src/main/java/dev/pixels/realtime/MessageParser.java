package dev.pixels.realtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Tool;
import dev.pixels.text.JsonText;

/**
 * Turns a client's text frame into a {@link ClientMessage}, deciding every validation question so
 * that the socket handler only dispatches.
 *
 * <p>Nothing is coerced: a coordinate must be a JSON integer (not {@code 1.5}, not {@code "1"}), a
 * colour must be a {@code #RRGGBB} string in the palette. Nesting depth and number length are
 * bounded by the JSON reader itself, so hostile frames cannot make parsing expensive.
 *
 * <p>Thread-safe and immutable; one instance is shared by all event loops.
 */
final class MessageParser {
  /** Longest client message id echoed back; longer ids are refused as malformed. */
  static final int MAX_ID_LENGTH = 64;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(8)
                          .maxNumberLength(32)
                          .maxStringLength(65_536)
                          .build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // "{...valid...}}" or "{...} junk" is not a valid frame: nothing after the object is ignored.
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final Palette palette;
  private final int width;
  private final int height;

  MessageParser(Palette palette, int width, int height) {
    this.palette = palette;
    this.width = width;
    this.height = height;
  }

  ClientMessage parse(String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      return new ClientMessage.Malformed("the frame is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return new ClientMessage.Malformed("a frame must be a JSON object");
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) {
      return new ClientMessage.Malformed("a frame needs a string field \"type\"");
    }
    return switch (type.textValue()) {
      case "pixel:update" -> parsePaint(root);
      case "heartbeat" -> new ClientMessage.Heartbeat();
      case "pixel:stroke:start", "pixel:stroke:end" -> new ClientMessage.StrokeMarker();
      default -> new ClientMessage.Malformed("unknown message type " + JsonText.quote(abbreviate(type.textValue())));
    };
  }

  private ClientMessage parsePaint(JsonNode root) {
    // The coordinates are read first so that a reject for any field echoes them.
    JsonNode data = root.get("data");
    JsonNode xNode = data != null && data.isObject() ? data.get("x") : null;
    JsonNode yNode = data != null && data.isObject() ? data.get("y") : null;
    String xJson = echo(xNode);
    String yJson = echo(yNode);
    JsonNode idNode = root.get("id");
    String id = null;
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual() || idNode.textValue().length() > MAX_ID_LENGTH) {
        return invalid(null, xJson, yJson, RejectReason.MALFORMED,
            "id must be a string of at most " + MAX_ID_LENGTH + " characters");
      }
      id = idNode.textValue();
    }
    if (data == null || !data.isObject()) {
      return invalid(id, null, null, RejectReason.MALFORMED, "pixel:update needs an object field \"data\"");
    }
    if (!isInteger(xNode) || !isInteger(yNode)) {
      return invalid(id, xJson, yJson, RejectReason.MALFORMED, "x and y must be whole JSON numbers");
    }
    if (!xNode.canConvertToLong() || !yNode.canConvertToLong()
        || xNode.longValue() < 0 || yNode.longValue() < 0
        || xNode.longValue() >= width || yNode.longValue() >= height) {
      return invalid(id, xJson, yJson, RejectReason.OUT_OF_BOUNDS,
          "x must be in 0.." + (width - 1) + " and y in 0.." + (height - 1));
    }
    JsonNode toolNode = data.get("tool");
    Tool tool = Tool.BRUSH;
    if (toolNode != null && !toolNode.isNull()) {
      // Clients may use only the painting tools; server-side tools (repairs) are not theirs to claim.
      tool = !toolNode.isTextual() ? null : switch (toolNode.textValue()) {
        case "brush" -> Tool.BRUSH;
        case "eraser" -> Tool.ERASER;
        default -> null;
      };
      if (tool == null) {
        return invalid(id, xJson, yJson, RejectReason.MALFORMED, "tool must be \"brush\" or \"eraser\"");
      }
    }
    int color = 0;
    if (tool == Tool.BRUSH) {
      JsonNode colorNode = data.get("color");
      if (colorNode == null || !colorNode.isTextual()) {
        return invalid(id, xJson, yJson, RejectReason.MALFORMED, "color must be a string such as \"#FF0000\"");
      }
      color = palette.indexOf(colorNode.textValue());
      if (color < 0) {
        return invalid(id, xJson, yJson, RejectReason.INVALID_COLOR,
            JsonText.quote(abbreviate(colorNode.textValue())) + " is not in the palette; see GET /palette");
      }
    }
    return new ClientMessage.Paint(id, xNode.intValue(), yNode.intValue(), color, tool);
  }

  private static ClientMessage.InvalidPaint invalid(
      String id, String xJson, String yJson, RejectReason reason, String message) {
    return new ClientMessage.InvalidPaint(id, xJson, yJson, reason, message);
  }

  private static boolean isInteger(JsonNode node) {
    return node != null && node.isIntegralNumber();
  }

  /**
   * The coordinate as JSON to echo: a number as sent, or null for anything else, including a
   * number too large for a double ({@code 1e400}), which has no finite JSON form.
   */
  private static String echo(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return null;
    }
    if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      return null;
    }
    return node.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
