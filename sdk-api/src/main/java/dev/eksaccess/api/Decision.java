package dev.eksaccess.api;

import java.util.List;
import java.util.Objects;

/**
 * Whether a caller may make a request, and the chain of reasons across both layers.
 *
 * <pre>{@code
 * Decision d = prod.explain(
 *     Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"),
 *     Request.verb("delete").resource("pods").inNamespace("prod-apps"));
 * d.allowed();              // false
 * System.out.println(d);    // DENIED: delete pods in namespace prod-apps, then one line per step
 * }</pre>
 *
 * @param caller who asked
 * @param request what was asked
 * @param verdict allowed, denied, or undecided (what decides is not known, such as RBAC when no
 *     RBAC backend was given)
 * @param steps the chain from caller to verdict, in order
 */
public record Decision(Caller caller, Request request, Verdict verdict, List<Step> steps) {
  /** What the cluster would answer, as far as eks-access can tell. */
  public enum Verdict {
    /** The request is allowed. */
    ALLOWED,
    /** The request is denied. */
    DENIED,
    /**
     * eks-access cannot tell: the layer that decides was not given (no RBAC backend), so the steps
     * say what is known and what is missing. Never read as a denial.
     */
    UNDECIDED
  }

  /**
   * A decided verdict.
   *
   * @param caller who asked
   * @param request what was asked
   * @param allowed whether it is allowed
   * @param steps the chain from caller to verdict, in order
   */
  public Decision(Caller caller, Request request, boolean allowed, List<Step> steps) {
    this(caller, request, allowed ? Verdict.ALLOWED : Verdict.DENIED, steps);
  }

  /**
   * Whether the request is allowed; false when denied and when {@link Verdict#UNDECIDED}.
   *
   * @return true only for {@link Verdict#ALLOWED}
   */
  public boolean allowed() {
    return verdict == Verdict.ALLOWED;
  }

  /** Where in the chain a step happens. */
  public enum Layer {
    /** The IAM caller and the principal it resolves to. */
    CALLER,
    /** Layer 1: the mapping to a Kubernetes username and groups. */
    IDENTITY,
    /** EKS access policies (Access Entries). */
    ACCESS_POLICY,
    /** Layer 2: Kubernetes RBAC. */
    RBAC
  }

  /**
   * One link in the chain.
   *
   * @param layer where it happens
   * @param text what was found, readable
   */
  public record Step(Layer layer, String text) {
    /** Checks for nulls. */
    public Step {
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return String.format("%-9s %s", layer.name().toLowerCase(java.util.Locale.ROOT), text);
    }
  }

  /** Checks for nulls and copies the steps. */
  public Decision {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(verdict, "verdict");
    steps = List.copyOf(steps);
  }

  /** The verdict, then one indented line per step. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(verdict.name()).append(": ").append(request).append('\n');
    for (Step step : steps) {
      s.append("  ").append(step.toString().replace("\n", "\n            ")).append('\n');
    }
    return s.toString();
  }
}
