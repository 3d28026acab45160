package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.api.support.JsonText;
import java.io.IOException;
import java.util.List;

/**
 * What {@link Plan#apply()} did.
 *
 * <pre>{@code
 * ApplyResult r = plan.apply();
 * r.applied();   // the changes written; empty when the cluster already matched
 * r.writes();    // remote write calls issued
 * }</pre>
 *
 * @param applied the changes written
 * @param writes how many remote writes the backends issued
 */
public record ApplyResult(List<Change> applied, int writes) {
  /** Copies the list. */
  public ApplyResult {
    applied = List.copyOf(applied);
  }

  /**
   * Whether anything was written.
   *
   * @return true when nothing changed
   */
  public boolean isNoOp() {
    return applied.isEmpty();
  }

  /** The version of {@link #toJson()}'s form. */
  static final String SCHEMA = "eks-access/apply-result/v1";

  /**
   * What was written, as JSON for tools: whether anything was, the remote writes, and each change
   * (layer, action, object, details) as in {@link Plan#toJson()}.
   *
   * <pre>{@code
   * {"schema":"eks-access/apply-result/v1","noOp":false,"writes":2,
   *  "applied":[{"layer":"IDENTITY","action":"CREATE","object":"mapping arn:...","details":[...]}]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(this::writeJson);
  }

  void writeJson(JsonGenerator json) throws IOException {
    json.writeStringField("schema", SCHEMA);
    json.writeBooleanField("noOp", isNoOp());
    json.writeNumberField("writes", writes);
    PlanJson.writeChanges(json, "applied", applied);
  }

  /**
   * What was written, one change per line, for logs and JShell.
   *
   * <pre>{@code
   * System.out.println(plan.apply());
   * // applied 2 changes in 2 writes:
   * //   + mapping arn:aws:iam::111122223333:role/DevTeamRole
   * //   + RoleBinding prod-apps/eks-access-view-acme-devs-dfcc3894
   * }</pre>
   */
  @Override
  public String toString() {
    if (applied.isEmpty()) {
      return "applied nothing: the cluster already matched (" + writes + " writes)";
    }
    StringBuilder s =
        new StringBuilder("applied ")
            .append(applied.size())
            .append(applied.size() == 1 ? " change in " : " changes in ")
            .append(writes)
            .append(writes == 1 ? " write:" : " writes:");
    for (Change c : applied) {
      s.append("\n  ").append(c.toString().replace("\n", "\n  "));
    }
    return s.toString();
  }
}
