package dev.pixels.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records the events of one logger while open, so that a test can check what the server logged
 * (and how it is formatted) against a real run.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts recording the logger named {@code name}. */
  public static LogCapture of(String name) {
    return new LogCapture((Logger) LoggerFactory.getLogger(name));
  }

  /** A copy of the events recorded so far; they are added from other threads. */
  public List<ILoggingEvent> events() {
    synchronized (appender) { // AppenderBase.doAppend holds this monitor while it adds
      return List.copyOf(appender.list);
    }
  }

  /** The first recorded event that matches, if any. */
  public Optional<ILoggingEvent> first(Predicate<ILoggingEvent> match) {
    return events().stream().filter(match).findFirst();
  }

  /** The value of key-value pair {@code key} of {@code event}, or null. */
  public static Object value(ILoggingEvent event, String key) {
    if (event.getKeyValuePairs() == null) {
      return null;
    }
    return event.getKeyValuePairs().stream().filter(kv -> kv.key.equals(key)).map(kv -> kv.value).findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
