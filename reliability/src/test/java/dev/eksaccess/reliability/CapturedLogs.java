package dev.eksaccess.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider for these tests that keeps every log line in memory (level, logger, message,
 * stack trace), so a test can read what the SDK logged. The SDK ships no binding; a service brings
 * its own.
 */
public final class CapturedLogs implements SLF4JServiceProvider {
  private static final int KEEP = 100_000;
  private static final Deque<String> LINES = new ArrayDeque<>();

  private final ILoggerFactory factory = CapturingLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  /**
   * Every line logged since the last {@link #clear()}, oldest first: the SDK's own at every level
   * from DEBUG, other libraries' from WARN.
   */
  public static List<String> lines() {
    synchronized (LINES) {
      return List.copyOf(LINES);
    }
  }

  /** Forgets every line. */
  public static void clear() {
    synchronized (LINES) {
      LINES.clear();
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return ours();
    }

    @Override
    public boolean isInfoEnabled() {
      return ours();
    }

    /** The SDK's own loggers; the servers and clients under test log what they like. */
    private boolean ours() {
      return name.startsWith("dev.eksaccess.");
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return CapturingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable thrown) {
      StringBuilder line =
          new StringBuilder(level.name())
              .append(' ')
              .append(name)
              .append(": ")
              .append(MessageFormatter.basicArrayFormat(pattern, args));
      if (thrown != null) {
        StringWriter w = new StringWriter();
        thrown.printStackTrace(new PrintWriter(w));
        line.append('\n').append(w);
      }
      synchronized (LINES) {
        LINES.addLast(line.toString());
        if (LINES.size() > KEEP) {
          LINES.removeFirst();
        }
      }
    }
  }
}
