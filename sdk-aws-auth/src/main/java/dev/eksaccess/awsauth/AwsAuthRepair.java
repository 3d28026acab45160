package dev.eksaccess.awsauth;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.awsauth.internal.AwsAuthEditor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * An explicit repair of an aws-auth whose sections EKS cannot read: each such section is replaced
 * by an empty list, which is what EKS reads from it today. The mappings written in that text are
 * lost for good, so the repair names them and writes nothing until the caller confirms exactly that
 * list.
 *
 * <pre>{@code
 * AwsAuthRepair repair = ids.repair();
 * if (repair.isNeeded()) {
 *   System.out.println(repair);                 // what is broken, what will be dropped
 *   repair.confirmDropping(List.of(
 *       "arn:aws:iam::111122223333:role/Legacy"));   // the reviewed list, exactly
 * }
 * }</pre>
 */
public final class AwsAuthRepair {
  private final AwsAuthBackend backend;
  private final AwsAuthDocument document;
  private final Version version;

  AwsAuthRepair(AwsAuthBackend backend, AwsAuthDocument document, Version version) {
    this.backend = backend;
    this.document = document;
    this.version = version;
  }

  /**
   * Whether any section is unreadable.
   *
   * @return true if there is something to repair
   */
  public boolean isNeeded() {
    return !document.sectionErrors().isEmpty();
  }

  /**
   * The unreadable sections, with where each breaks.
   *
   * @return the errors
   */
  public List<SectionError> sectionErrors() {
    return document.sectionErrors();
  }

  /**
   * The ARNs written in the unreadable sections: EKS already ignores them, and the repair drops
   * them from the text.
   *
   * @return the ARNs, in section and text order
   */
  public List<String> dropped() {
    List<String> out = new ArrayList<>();
    for (SectionError e : document.sectionErrors()) {
      out.addAll(e.lostArns());
    }
    return List.copyOf(out);
  }

  /**
   * Whether node roles are among the dropped mappings: nodes cannot join until they are mapped
   * again.
   *
   * @return true if node roles are dropped
   */
  public boolean dropsNodeRoles() {
    return document.sectionErrors().stream().anyMatch(SectionError::losesNodeRoles);
  }

  /**
   * Writes the repair, if the caller confirms exactly the mappings it drops and nobody changed the
   * ConfigMap since it was shown.
   *
   * @param arns the ARNs the caller reviewed, as {@link #dropped()} lists them (order aside)
   * @return the write; {@code writes() == 0} when there was nothing to repair
   * @throws InvalidInputException if {@code arns} is not exactly the dropped list; nothing is
   *     written
   * @throws dev.eksaccess.api.ConflictException if the ConfigMap changed since the repair was
   *     shown; nothing is written
   */
  public WriteResult confirmDropping(List<String> arns) {
    Objects.requireNonNull(arns, "arns");
    if (!isNeeded()) {
      return new WriteResult(version, 0);
    }
    if (!new LinkedHashSet<>(arns).equals(new LinkedHashSet<>(dropped()))) {
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "confirmDropping",
          String.valueOf(arns),
          "is not the list this repair drops, "
              + dropped()
              + "; nothing was written. Review the repair and confirm that list.");
    }
    return backend.writeRepaired(
        AwsAuthEditor.repaired(document.data(), document.sectionErrors()), version);
  }

  @Override
  public String toString() {
    if (!isNeeded()) {
      return "aws-auth reads cleanly: nothing to repair.";
    }
    StringBuilder b = new StringBuilder("aws-auth repair (nothing written until confirmed):\n");
    for (SectionError e : document.sectionErrors()) {
      b.append("  ").append(e).append('\n');
      b.append("    replace ").append(e.section().key()).append(" with []");
      b.append(e.lostArns().isEmpty() ? "" : ", dropping " + String.join(", ", e.lostArns()));
      b.append('\n');
    }
    if (dropsNodeRoles()) {
      b.append("  ! node roles are dropped: map them again, or nodes cannot join.\n");
    }
    return b.toString();
  }
}
