package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;

/**
 * A section EKS drops whole, because its text is not YAML or not a list, with where the problem is
 * and which mappings that loses.
 *
 * <pre>{@code
 * for (SectionError e : doc.sectionErrors()) {
 *   System.err.println(e);   // mapRoles line 4 column 3: ... EKS ignores every mapping in it ...
 * }
 * }</pre>
 *
 * @param section the data key
 * @param line the 1-based line within the section's text
 * @param column the 1-based column
 * @param problem what the YAML reader found
 * @param lostArns the ARNs that appear in the section's text, every one of which EKS ignores
 * @param losesNodeRoles whether node roles ({@code system:nodes}) are among them
 */
public record SectionError(
    Section section,
    int line,
    int column,
    String problem,
    List<String> lostArns,
    boolean losesNodeRoles) {
  /** Checks for nulls and copies the list. */
  public SectionError {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(problem, "problem");
    lostArns = List.copyOf(lostArns);
  }

  @Override
  public String toString() {
    return section.key()
        + " line "
        + line
        + " column "
        + column
        + ": "
        + problem
        + ". EKS ignores every mapping in "
        + section.key()
        + (lostArns.isEmpty() ? "" : " (" + String.join(", ", lostArns) + ")")
        + (losesNodeRoles ? ", node roles included, so nodes cannot join" : "")
        + "; fix the YAML there.";
  }
}
