package dev.eksaccess.api.support;

import java.util.regex.Pattern;

/**
 * What an AWS tag value may hold: letters, digits, spaces and {@code _ . : / = + - @}, up to 256
 * characters. Break-glass records keep to it on every backend, because Access Entries store them as
 * tags.
 */
@BackendSupport
public final class TagValues {
  /** The longest tag value. */
  public static final int MAX_LENGTH = 256;

  private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]");

  private TagValues() {}

  /** Whether every character is one a tag value may hold (length is not checked). */
  public static boolean allowed(String value) {
    return ALLOWED.matcher(value).matches();
  }

  /** The value with each character a tag refuses made {@code _}, cut to {@link #MAX_LENGTH}. */
  public static String sanitized(String value) {
    String safe = NOT_ALLOWED.matcher(value).replaceAll("_");
    return safe.length() > MAX_LENGTH ? safe.substring(0, MAX_LENGTH) : safe;
  }
}
