package dev.pixels.moderation;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CanvasEditor.EditResult;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The JSON shapes of locks, bans, audit entries and moderation events; see docs/moderation.md. */
final class ModerationJson {
  private ModerationJson() {}

  static JsonObject region(Region r) {
    return new JsonObject().put("x1", r.x1()).put("y1", r.y1()).put("x2", r.x2()).put("y2", r.y2());
  }

  static JsonObject lock(Lock lock) {
    return region(lock.region())
        .put("reason", lock.reason())
        .put("createdBy", lock.createdBy())
        .put("createdAt", lock.createdAt().toString())
        .put("expiresAt", iso(lock.expiresAt()));
  }

  static JsonObject ban(Ban ban) {
    JsonObject json = new JsonObject().put("id", ban.id());
    json.put(ban.kind() == Ban.Kind.USER ? "userId" : "ip", ban.subject());
    return json.put("reason", ban.reason())
        .put("createdBy", ban.createdBy())
        .put("createdAt", ban.createdAt().toString())
        .put("until", iso(ban.until()));
  }

  static JsonObject editResult(EditResult r) {
    return new JsonObject().put("pixelsChanged", r.pixelsChanged()).put("fromSeq", r.fromSeq()).put("toSeq", r.toSeq());
  }

  /** A repair's preview: how many pixels it would change and the first of them, colour now and after. */
  static JsonObject preview(Moderation.Preview preview, Palette palette) {
    JsonArray pixels = new JsonArray();
    for (CanvasEditor.Edit e : preview.pixels()) {
      pixels.add(new JsonObject().put("x", e.x()).put("y", e.y()).put("color", palette.color(e.color()))
          .put("currentColor", palette.color(e.expectedColor())));
    }
    return new JsonObject().put("pixelsChanged", preview.pixelsChanged()).put("pixels", pixels)
        .put("truncated", preview.pixelsChanged() > preview.pixels().size());
  }

  /** What a repair that stopped part-way applied, and why it stopped. */
  static JsonObject incomplete(CanvasEditor.IncompleteEdit e) {
    return editResult(e.applied()).put("incomplete", e.getMessage());
  }

  static JsonObject pixel(PixelChange c, Palette palette) {
    return new JsonObject()
        .put("action", "pixel")
        .put("seq", c.seq())
        .put("x", c.x())
        .put("y", c.y())
        .put("color", palette.color(c.color()))
        .put("previousColor", palette.color(c.previousColor()))
        .put("userId", c.userId())
        .put("timestamp", Instant.ofEpochMilli(c.timestampMillis()).toString())
        .put("tool", c.tool() == null ? null : c.tool().wireName());
  }

  static JsonObject audit(AuditEntry e) {
    return new JsonObject()
        .put("action", e.action())
        .put("id", e.id())
        .put("admin", e.actor())
        .put("timestamp", e.at().toString())
        .put("params", new JsonObject(e.paramsJson()));
  }

  static String event(String type, JsonObject data) {
    return new JsonObject().put("type", type).put("data", data).encode();
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
