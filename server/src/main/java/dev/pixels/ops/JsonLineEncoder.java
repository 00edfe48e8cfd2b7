package dev.pixels.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.pixels.text.JsonText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one line of JSON: {@code timestamp} (ISO-8601, UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then every MDC entry and every key-value pair of
 * the event as a top-level field ({@code userId}, {@code seq}, {@code reason}, {@code
 * connectionId}, {@code requestId}, ...), and {@code exception} with the stack trace if any.
 *
 * <p>Written by hand rather than with logback's own JsonEncoder, whose nested layout ({@code mdc},
 * {@code kvpList}) makes fields harder to query, or a new dependency. A field named like a fixed
 * one is written once, the fixed one winning.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] EMPTY = new byte[0];
  private static final Set<String> FIXED = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

  @Override
  public byte[] headerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] footerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(256);
    out.append('{');
    field(out, "timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    out.append(',');
    field(out, "level", event.getLevel().toString());
    out.append(',');
    field(out, "logger", event.getLoggerName());
    out.append(',');
    field(out, "thread", event.getThreadName());
    out.append(',');
    field(out, "message", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> e : mdc.entrySet()) {
        if (!FIXED.contains(e.getKey())) {
          out.append(',');
          field(out, e.getKey(), e.getValue());
        }
      }
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        if (!FIXED.contains(kv.key) && (mdc == null || !mdc.containsKey(kv.key))) {
          out.append(',');
          if (kv.value instanceof Number || kv.value instanceof Boolean) {
            JsonText.appendQuoted(out, kv.key).append(':').append(kv.value);
          } else {
            field(out, kv.key, kv.value == null ? null : kv.value.toString());
          }
        }
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      out.append(',');
      field(out, "exception", stackTrace(thrown));
    }
    out.append("}\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String stackTrace(IThrowableProxy thrown) {
    StringBuilder trace = new StringBuilder();
    for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
      if (t != thrown) {
        trace.append("Caused by: ");
      }
      trace.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
        trace.append("\tat ").append(frame.getStackTraceElement()).append('\n');
      }
    }
    return trace.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    JsonText.appendQuoted(out, name).append(':');
    JsonText.appendQuoted(out, value);
  }
}
