package dev.pixels.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Points the root logger at standard output in the configured {@link LogFormat}; called by
 * {@code Main} once the configuration is read. Without it (in tests) {@code logback.xml}'s text
 * format applies.
 */
public final class LogSetup {
  /** The text format: key-value fields ({@code %kvp}) and MDC ids follow the message. */
  static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg %kvp %mdc%n";

  private LogSetup() {}

  public static void apply(LogFormat format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Encoder<ILoggingEvent> encoder = switch (format) {
      case JSON -> new JsonLineEncoder();
      case TEXT -> {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setPattern(TEXT_PATTERN);
        yield pattern;
      }
    };
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("STDOUT");
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(console);
  }
}
