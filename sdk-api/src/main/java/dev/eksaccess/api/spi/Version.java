package dev.eksaccess.api.spi;

import java.util.Objects;

/**
 * An opaque version of a backend's state, such as a ConfigMap's {@code resourceVersion}. A write
 * names the version it was planned against, and is refused if the state has moved on.
 *
 * <pre>{@code
 * Version v = backend.read().version();
 * backend.write(changes, v);   // ConflictException if someone wrote in between
 * }</pre>
 *
 * @param value the backend's version token
 */
public record Version(String value) {
  /**
   * Checks the token.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public Version {
    Objects.requireNonNull(value, "value");
  }

  /**
   * A version from its token.
   *
   * @param value the token
   * @return the version
   */
  public static Version of(String value) {
    return new Version(value);
  }
}
