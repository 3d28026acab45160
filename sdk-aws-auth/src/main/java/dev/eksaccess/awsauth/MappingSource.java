package dev.eksaccess.awsauth;

import java.util.Objects;

/**
 * Where in aws-auth a mapping comes from: section, 0-based index in that section, and 1-based line
 * within the section's text.
 *
 * <pre>{@code
 * identity.source().toString();   // "mapRoles[3] (line 12)"
 * }</pre>
 *
 * @param section the data key
 * @param index the entry's 0-based position in the section
 * @param line the entry's 1-based line within the section's text
 */
public record MappingSource(Section section, int index, int line) {
  /** Checks for null. */
  public MappingSource {
    Objects.requireNonNull(section, "section");
  }

  @Override
  public String toString() {
    return section.key() + "[" + index + "] (line " + line + ")";
  }
}
