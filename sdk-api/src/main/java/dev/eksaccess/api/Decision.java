package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.api.support.JsonText;
import java.io.IOException;
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
     * eks-access cannot tell: the layer that decides was not given (no RBAC backend), or an access
     * policy whose rules are unknown may allow it ({@link Reason#ACCESS_POLICY_RULES_UNKNOWN}), so
     * the steps say what is known and what is missing. Never read as a denial.
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
   * What a step found, for a tool to switch on; the step's text says it for people. New codes may
   * be added in a minor release, so a switch needs a default.
   */
  public enum Reason {
    /** Who the caller is, as EKS sees it. */
    CALLER,
    /** A mapping (aws-auth entry or access entry) gives the caller a username and groups. */
    MAPPED,
    /** aws-auth {@code mapAccounts} maps every principal of the caller's account. */
    MAPPED_BY_ACCOUNT,
    /** No mapping names the caller: EKS authenticates it but the cluster does not know it. */
    NOT_MAPPED,
    /** The caller's access entry takes precedence over its aws-auth mapping. */
    ACCESS_ENTRY_TAKES_PRECEDENCE,
    /** A username holds a placeholder only the live cluster can fill. */
    UNRESOLVED_PLACEHOLDER,
    /** The caller is in {@code system:masters}, which bypasses RBAC. */
    SYSTEM_MASTERS,
    /** An RBAC binding and rule allow the request. */
    RBAC_ALLOWS,
    /** No RBAC binding allows the request; the step names the nearest misses. */
    RBAC_DENIES,
    /** An EKS access policy associated with the caller's entry allows the request. */
    ACCESS_POLICY_ALLOWS,
    /** The caller's access policies whose rules are known do not allow the request. */
    ACCESS_POLICY_DENIES,
    /**
     * An access policy associated with the caller, in scope of the request, has rules eks-access
     * does not know (AWS publishes none, or the policy is newer than {@link
     * dev.eksaccess.api.AccessPolicyCatalogue}): it may allow the request, so the verdict is {@link
     * Verdict#UNDECIDED}, never a denial.
     */
    ACCESS_POLICY_RULES_UNKNOWN,
    /** No RBAC backend was given, so what RBAC allows cannot be known. */
    NO_RBAC,
    /** Anything else worth saying. */
    NOTE
  }

  /**
   * One link in the chain.
   *
   * @param layer where it happens
   * @param reason what it found, as a code
   * @param text what was found, readable
   */
  public record Step(Layer layer, Reason reason, String text) {
    /** Checks for nulls. */
    public Step {
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(text, "text");
    }

    /**
     * A step with the reason {@link Reason#NOTE}.
     *
     * @param layer where it happens
     * @param text what was found, readable
     */
    public Step(Layer layer, String text) {
      this(layer, Reason.NOTE, text);
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

  /**
   * The decision as JSON for tools, version 1 of its form ({@code "schema":
   * "eks-access/decision/v1"}): the caller, the request, the verdict and each step with its layer,
   * reason code and text. Fields may be added within a version; none is removed or changes meaning.
   *
   * <pre>{@code
   * {"schema":"eks-access/decision/v1","caller":"arn:aws:sts::111122223333:assumed-role/Dev/jane",
   *  "request":{"verb":"get","apiGroup":"","resource":"pods","subresource":"","name":"",
   *  "namespace":"apps"},"verdict":"DENIED","allowed":false,
   *  "steps":[{"layer":"IDENTITY","reason":"NOT_MAPPED","text":"no aws-auth mapping for ..."}]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(this::writeFields);
  }

  /** Writes this decision's fields into an open JSON object. */
  void writeFields(JsonGenerator json) throws IOException {
    json.writeStringField("schema", "eks-access/decision/v1");
    json.writeStringField("caller", caller.arn().value());
    json.writeObjectFieldStart("request");
    json.writeStringField("verb", request.verb());
    if (request.isNonResource()) {
      json.writeStringField("nonResourceUrl", request.nonResourceUrl().orElse(""));
    } else {
      json.writeStringField("apiGroup", request.apiGroup());
      json.writeStringField("resource", request.resource());
      json.writeStringField("subresource", request.subresource());
      json.writeStringField("name", request.name());
      json.writeStringField("namespace", request.namespace());
    }
    json.writeEndObject();
    json.writeStringField("verdict", verdict.name());
    json.writeBooleanField("allowed", allowed());
    json.writeArrayFieldStart("steps");
    for (Step step : steps) {
      json.writeStartObject();
      json.writeStringField("layer", step.layer().name());
      json.writeStringField("reason", step.reason().name());
      json.writeStringField("text", step.text());
      json.writeEndObject();
    }
    json.writeEndArray();
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
