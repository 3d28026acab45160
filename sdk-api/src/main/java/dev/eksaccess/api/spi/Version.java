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
   * As an RBAC change's precondition: the change applies whatever the object's state (the object is
   * created or overwritten). Kept for backends and callers that do not track versions per object.
   */
  public static final Version ANY = new Version("*");

  /**
   * As a precondition: the object must not exist; as a read version: it does not exist. A create
   * that meets an object someone else made first is a lost race ({@link
   * dev.eksaccess.api.ConflictException}).
   */
  public static final Version ABSENT = new Version("");

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

  /**
   * Whether this is {@link #ABSENT}.
   *
   * @return true for the version of an object that does not exist
   */
  public boolean isAbsent() {
    return value.isEmpty();
  }

  /**
   * Whether this is {@link #ANY}.
   *
   * @return true for a precondition that always holds
   */
  public boolean isAny() {
    return value.equals("*");
  }
}
