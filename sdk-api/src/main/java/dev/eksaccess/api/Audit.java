package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eksaccess.api.support.JsonText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may do what in a cluster: every mapped principal with its username, groups, EKS access
 * policies and the RBAC bindings that name it, and, against a desired set of grants, the drift.
 * Made by {@link ClusterAccess#audit()}; print it as a table or hand it to tools as JSON.
 *
 * <pre>{@code
 * Audit audit = prod.audit(List.of(devs, ops)); // the grants the cluster should hold
 * System.out.println(audit);                    // a table, then the drift
 * Files.writeString(Path.of("audit.json"), audit.toJson());
 * }</pre>
 */
public final class Audit {

  /**
   * One mapped principal (or a whole account, for aws-auth's {@code mapAccounts}).
   *
   * @param principal the IAM principal's ARN, or {@code account 111122223333}
   * @param username the username template, or the backend's default in parentheses
   * @param groups the group templates
   * @param accessPolicies the EKS access policies with their scopes
   * @param bindings the RBAC bindings that name the username or a group, with their roles
   * @param awsManaged what made the entry when EKS or an AWS service did ({@link ManagedEntry}):
   *     plans leave it alone unless forced with {@link Guard#AWS_MANAGED_ENTRY}
   */
  public record Row(
      String principal,
      String username,
      List<String> groups,
      List<String> accessPolicies,
      List<String> bindings,
      Optional<ManagedEntry.Kind> awsManaged) {
    /** Checks for nulls and copies the lists. */
    public Row {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(awsManaged, "awsManaged");
      groups = List.copyOf(groups);
      accessPolicies = List.copyOf(accessPolicies);
      bindings = List.copyOf(bindings);
    }

    /**
     * A row of an entry people made.
     *
     * @param principal the IAM principal's ARN, or {@code account 111122223333}
     * @param username the username template, or the backend's default in parentheses
     * @param groups the group templates
     * @param accessPolicies the EKS access policies with their scopes
     * @param bindings the RBAC bindings that name the username or a group, with their roles
     */
    public Row(
        String principal,
        String username,
        List<String> groups,
        List<String> accessPolicies,
        List<String> bindings) {
      this(principal, username, groups, accessPolicies, bindings, Optional.empty());
    }
  }

  /**
   * One difference between the desired grants and the cluster.
   *
   * @param kind what kind of difference
   * @param object what differs, such as {@code mapping arn:aws:iam::111122223333:role/Dev}
   * @param detail how it differs
   */
  public record Drift(Kind kind, String object, String detail) {
    /** What kind of difference. */
    public enum Kind {
      /** A desired mapping or binding the cluster lacks. */
      MISSING,
      /** A desired mapping or binding the cluster has otherwise. */
      CHANGED,
      /**
       * A mapping the cluster has that no desired grant names (node roles and break-glass aside).
       */
      EXTRA
    }

    /** Checks for nulls. */
    public Drift {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Access that points at nothing, found in the cluster as it is (no desired grants needed).
   *
   * @param code what kind of dangling access, for a tool to switch on
   * @param object where it is, such as {@code RoleBinding apps/devs-view}
   * @param detail what is wrong and how to fix it
   */
  public record Finding(Code code, String object, String detail) {
    /** What kind of dangling access; new codes may be added in a minor release. */
    public enum Code {
      /** A mapping gives a group that no RoleBinding or ClusterRoleBinding names. */
      GROUP_BOUND_TO_NOTHING,
      /**
       * A binding names a group or user that no IAM mapping gives: dead, or given by another
       * authenticator (OIDC, certificates).
       */
      BINDING_TO_UNMAPPED_SUBJECT,
      /** A binding refers to a Role or ClusterRole that does not exist, so it grants nothing. */
      BINDING_TO_MISSING_ROLE,
      /**
       * An access entry holds an access policy whose Kubernetes rules are unknown (AWS publishes
       * none, or it is newer than {@link AccessPolicyCatalogue}): what it allows cannot be decided
       * offline, so explain and who-can answer {@link Decision.Verdict#UNDECIDED} where it is in
       * scope.
       */
      ACCESS_POLICY_RULES_UNKNOWN,
      /**
       * A principal holds a power over access itself: {@code escalate} or {@code bind} on roles,
       * {@code impersonate}, writing RoleBindings or ClusterRoleBindings, writing aws-auth, or all
       * of them through {@code system:masters} or a cluster-admin access policy. It can grant
       * itself (or anyone) more than it was granted; the detail names each power and what gives it.
       */
      CAN_GRANT_ITSELF_MORE,
      /**
       * An access-policy association is scoped to a namespace the cluster does not have (or a
       * {@code prefix*} wildcard that matches none): it grants nothing there now, and grants it to
       * whoever creates that namespace later. EKS does not check scopes against namespaces.
       */
      POLICY_SCOPE_MISSING_NAMESPACE,
      /**
       * A mapping or access entry names an IAM role that IAM does not have (deleted, or, for an
       * access entry, now under another path): it lets no one in. Needs an {@link
       * ClusterAccess.Builder#iam IAM directory}.
       */
      MAPPING_TO_MISSING_ROLE,
      /**
       * An access entry older than the IAM role it names: the role was deleted and created again,
       * and EKS keeps the entry bound to the old role's unique id, so it lets no one in. {@link
       * ClusterAccess#planRepairDeadAccess()} recreates it. Needs an {@link
       * ClusterAccess.Builder#iam IAM directory}.
       */
      DEAD_ENTRY_ROLE_RECREATED,
      /**
       * IAM could not be asked (AccessDenied, throttling, too many roles), so whether the mapping
       * is dead is unknown; the detail says why.
       */
      IAM_LOOKUP_FAILED
    }

    /** Checks for nulls. */
    public Finding {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return code + " " + object + ": " + detail;
    }
  }

  private final String cluster;
  private final String backend;
  private final List<Row> rows;
  private final List<Drift> drift;
  private final boolean desiredGiven;
  private final List<BreakGlass.Active> breakGlass;
  private final List<Finding> findings;

  Audit(
      String cluster,
      String backend,
      List<Row> rows,
      List<Drift> drift,
      boolean desiredGiven,
      List<BreakGlass.Active> breakGlass,
      List<Finding> findings) {
    this.findings = List.copyOf(findings);
    this.cluster = cluster;
    this.backend = backend;
    this.rows = List.copyOf(rows);
    this.drift = List.copyOf(drift);
    this.desiredGiven = desiredGiven;
    this.breakGlass = List.copyOf(breakGlass);
  }

  /**
   * The break-glass grants on the cluster, with the time each had left when audited; expired ones
   * stay until {@link ClusterAccess#expireBreakGlass()} removes them.
   *
   * <pre>{@code
   * prod.audit().breakGlass().stream().filter(BreakGlass.Active::expired).forEach(System.out::println);
   * }</pre>
   *
   * @return the break-glass grants, in the backend's order
   */
  public List<BreakGlass.Active> breakGlass() {
    return breakGlass;
  }

  /**
   * Every mapped principal, in the backend's order.
   *
   * @return the rows
   */
  public List<Row> rows() {
    return rows;
  }

  /**
   * Dangling and dead access: groups mapped but bound to nothing, bindings to subjects no IAM
   * mapping gives, bindings to roles that do not exist (these three need an RBAC backend),
   * access-policy scopes naming namespaces the cluster does not have (needs an RBAC backend that
   * can list namespaces), and, with an {@link ClusterAccess.Builder#iam IAM directory}, mappings to
   * roles IAM no longer has and access entries left dead by a role deleted and created again.
   *
   * <pre>{@code
   * prod.audit().findings().forEach(System.out::println);
   * // BINDING_TO_MISSING_ROLE RoleBinding apps/devs-edit: refers to ClusterRole editt, ...
   * }</pre>
   *
   * @return the findings: mappings first, then bindings in the snapshot's order, then policy
   *     scopes, then what IAM said
   */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * The drift from the desired grants; empty when none were given or nothing differs.
   *
   * @return the differences
   */
  public List<Drift> drift() {
    return drift;
  }

  /**
   * The audit as a table: one line a principal, then the drift.
   *
   * @return the table
   */
  public String toTable() {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "PRINCIPAL", "USERNAME", "GROUPS", "ACCESS POLICIES", "AWS-MANAGED", "BINDINGS"
        });
    for (Row r : rows) {
      lines.add(
          new String[] {
            r.principal(),
            r.username(),
            join(r.groups()),
            join(r.accessPolicies()),
            r.awsManaged().map(Enum::name).orElse("-"),
            join(r.bindings())
          });
    }
    int[] width = new int[6];
    for (String[] l : lines) {
      for (int i = 0; i < 5; i++) {
        width[i] = Math.max(width[i], l[i].length());
      }
    }
    StringBuilder s =
        new StringBuilder("Access audit of cluster ")
            .append(cluster)
            .append(" (")
            .append(backend)
            .append("): ")
            .append(rows.size())
            .append(rows.size() == 1 ? " principal\n" : " principals\n");
    for (String[] l : lines) {
      for (int i = 0; i < 6; i++) {
        s.append(i < 5 ? String.format("%-" + width[i] + "s  ", l[i]) : l[i]);
      }
      s.append('\n');
    }
    if (!breakGlass.isEmpty()) {
      s.append("Break-glass grants: ").append(breakGlass.size()).append('\n');
      breakGlass.forEach(b -> s.append("  ").append(b).append('\n'));
    }
    if (!findings.isEmpty()) {
      s.append("Findings: ").append(findings.size()).append('\n');
      findings.forEach(f -> s.append("  ").append(f).append('\n'));
    }
    if (desiredGiven) {
      s.append(
          drift.isEmpty()
              ? "No drift: the cluster holds the desired grants.\n"
              : "Drift from the desired grants: " + drift.size() + "\n");
      for (Drift d : drift) {
        s.append("  ")
            .append(String.format("%-8s", d.kind()))
            .append(d.object())
            .append(": ")
            .append(d.detail())
            .append('\n');
      }
    }
    return s.toString();
  }

  private static String join(List<String> values) {
    return values.isEmpty() ? "-" : String.join(", ", values);
  }

  /**
   * The audit as JSON for tools.
   *
   * <pre>{@code
   * {"cluster":"prod","backend":"aws-auth","principals":[{"principal":"arn:...","username":"dev",
   *   "groups":["acme:devs"],"accessPolicies":[],"bindings":["RoleBinding prod-apps/x → ..."]}],
   *   "drift":[{"kind":"MISSING","object":"mapping arn:...","detail":"..."}]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(
        json -> {
          json.writeStringField("cluster", cluster);
          json.writeStringField("backend", backend);
          json.writeArrayFieldStart("principals");
          for (Row r : rows) {
            json.writeStartObject();
            json.writeStringField("principal", r.principal());
            json.writeStringField("username", r.username());
            strings(json, "groups", r.groups());
            strings(json, "accessPolicies", r.accessPolicies());
            strings(json, "bindings", r.bindings());
            if (r.awsManaged().isPresent()) {
              json.writeStringField("awsManaged", r.awsManaged().get().name());
            } else {
              json.writeNullField("awsManaged");
            }
            json.writeEndObject();
          }
          json.writeEndArray();
          BreakGlass.writeJson(json, breakGlass);
          json.writeArrayFieldStart("findings");
          for (Finding f : findings) {
            json.writeStartObject();
            json.writeStringField("code", f.code().name());
            json.writeStringField("object", f.object());
            json.writeStringField("detail", f.detail());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("drift");
          for (Drift d : drift) {
            json.writeStartObject();
            json.writeStringField("kind", d.kind().name());
            json.writeStringField("object", d.object());
            json.writeStringField("detail", d.detail());
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  private static void strings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String v : values) {
      json.writeString(v);
    }
    json.writeEndArray();
  }

  /** The table; see {@link #toTable()}. */
  @Override
  public String toString() {
    return toTable();
  }
}
