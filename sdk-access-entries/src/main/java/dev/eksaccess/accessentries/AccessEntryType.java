package dev.eksaccess.accessentries;

import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The type of an access entry: {@code STANDARD} for people and workloads, the others for nodes. EKS
 * spells them in capitals and compares them exactly; a type never changes after creation.
 *
 * <pre>{@code
 * AccessEntryType.of("EC2_LINUX").isNode();   // true
 * AccessEntryType.of("Standard");             // refused: EKS says STANDARD
 * }</pre>
 *
 * @param value the type as EKS spells it
 */
public record AccessEntryType(String value) {
  /** People and workloads: groups, a username and access policies. */
  public static final AccessEntryType STANDARD = new AccessEntryType("STANDARD");

  /** Linux nodes (self-managed, Karpenter): EKS sets the username and groups. */
  public static final AccessEntryType EC2_LINUX = new AccessEntryType("EC2_LINUX");

  /** Windows nodes. */
  public static final AccessEntryType EC2_WINDOWS = new AccessEntryType("EC2_WINDOWS");

  /** Fargate pod execution roles. */
  public static final AccessEntryType FARGATE_LINUX = new AccessEntryType("FARGATE_LINUX");

  /** EKS Auto Mode custom node classes; takes {@code AmazonEKSAutoNodePolicy}. */
  public static final AccessEntryType EC2 = new AccessEntryType("EC2");

  /** Hybrid nodes. */
  public static final AccessEntryType HYBRID_LINUX = new AccessEntryType("HYBRID_LINUX");

  /** SageMaker HyperPod nodes. */
  public static final AccessEntryType HYPERPOD_LINUX = new AccessEntryType("HYPERPOD_LINUX");

  private static final List<AccessEntryType> KNOWN =
      List.of(STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, EC2, HYBRID_LINUX, HYPERPOD_LINUX);

  /**
   * Checks the value is one EKS knows.
   *
   * @throws InvalidInputException for another value, naming the right spelling if only the case
   *     differs
   */
  public AccessEntryType {
    Objects.requireNonNull(value, "value");
    String v = value;
    if (KNOWN != null && KNOWN.stream().noneMatch(t -> t.value.equals(v))) {
      String upper = v.toUpperCase(Locale.ROOT);
      boolean caseOnly = KNOWN.stream().anyMatch(t -> t.value.equals(upper));
      throw InvalidInputException.of(
          ErrorCode.INVALID_GRANT,
          "type",
          v,
          caseOnly
              ? "is spelt " + upper + " by EKS, which compares types exactly."
              : "is not an access entry type; EKS knows " + KNOWN + ".");
    }
  }

  /**
   * The type for a value.
   *
   * @param value the type, such as {@code STANDARD}
   * @return the type
   * @throws InvalidInputException if EKS does not know it
   */
  public static AccessEntryType of(String value) {
    return new AccessEntryType(value);
  }

  /**
   * Whether this is a node type, whose username and groups EKS sets itself.
   *
   * @return true for every type but {@code STANDARD}
   */
  public boolean isNode() {
    return !value.equals("STANDARD");
  }

  @Override
  public String toString() {
    return value;
  }
}
