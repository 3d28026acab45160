package dev.eksaccess.migration;

import dev.eksaccess.accessentries.AccessEntriesBackend;
import dev.eksaccess.accessentries.AccessEntryType;
import dev.eksaccess.accessentries.AuthenticationMode;
import dev.eksaccess.accessentries.AuthenticationModes;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PolicyAssociation;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.support.JsonText;
import dev.eksaccess.awsauth.AwsAuthBackend;
import dev.eksaccess.awsauth.AwsAuthDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A planned move from aws-auth to Access Entries: the entries to create, what is skipped, and what
 * blocks the final switch to {@code API}. Each step is a separate call, so each can be reviewed and
 * confirmed on its own; none runs by itself.
 *
 * <pre>{@code
 * System.out.println(plan);                      // review
 * plan.switchToApiAndConfigMap(modes);           // 1. both mappings count, entries first
 * plan.createEntries(entries);                   // 2. the entries
 * MigrationPlan.Verification v = plan.verify(entries);   // 3. every principal maps as before
 * plan.switchToApi(modes, entries, awsAuth);     // 4. only if nothing blocks, v is clean,
 *                                                //    and aws-auth is as planned
 * plan.removeAwsAuth(modes, awsAuth, version);   // 5. only once the mode is API
 * }</pre>
 */
public final class MigrationPlan {
  private final List<MigratedEntry> entries;
  private final List<String> skipped;
  private final List<Blocker> blockers;
  private final Map<String, String> awsAuthMappings;

  MigrationPlan(
      List<MigratedEntry> entries,
      List<String> skipped,
      List<Blocker> blockers,
      Map<String, String> awsAuthMappings) {
    this.entries = List.copyOf(entries);
    this.skipped = List.copyOf(skipped);
    this.blockers = List.copyOf(blockers);
    this.awsAuthMappings = Map.copyOf(awsAuthMappings);
  }

  /** The three keys that map principals: what the plan was made from, and must still hold. */
  static Map<String, String> mappings(AwsAuthDocument doc) {
    Map<String, String> out = new TreeMap<>();
    for (String key : List.of("mapRoles", "mapUsers", "mapAccounts")) {
      String text = doc.data().get(key);
      if (text != null) {
        out.put(key, text);
      }
    }
    return out;
  }

  /**
   * The entries to create.
   *
   * @return the entries, in aws-auth order
   */
  public List<MigratedEntry> entries() {
    return entries;
  }

  /**
   * The mappings left alone, and why (a principal that already has an entry).
   *
   * @return the reasons
   */
  public List<String> skipped() {
    return skipped;
  }

  /**
   * What Access Entries cannot represent: while any is left, the switch to API would lock those
   * principals out, so it is refused.
   *
   * @return the blockers, each saying what to do
   */
  public List<String> blockers() {
    return blockers.stream().map(Blocker::message).toList();
  }

  /**
   * The blockers with a reason a tool can switch on.
   *
   * <pre>{@code
   * plan.blockerDetails().stream()
   *     .filter(b -> b.reason() == MigrationPlan.Blocker.Reason.ACCOUNT_MAPPING)
   *     .forEach(System.out::println);
   * }</pre>
   *
   * @return the blockers, in the order of {@link #blockers()}
   */
  public List<Blocker> blockerDetails() {
    return blockers;
  }

  /** The version of {@link #toJson()}'s form. */
  static final String SCHEMA = "eks-access/migration-plan/v1";

  /**
   * The plan as JSON for review tools: each entry to create (its aws-auth source, type, principal,
   * username, groups, access policies with their namespaces, notes), each skipped mapping and each
   * blocker with its reason code.
   *
   * <pre>{@code
   * {"schema":"eks-access/migration-plan/v1","blocked":true,
   *  "entries":[{"source":{"section":"mapRoles","index":0,"line":3},"type":"STANDARD",...}],
   *  "skipped":[{"reason":"ALREADY_HAS_ENTRY","message":"..."}],
   *  "blockers":[{"reason":"ACCOUNT_MAPPING","message":"mapAccounts 444455556666: ..."}]}
   * }</pre>
   *
   * @return a JSON object
   */
  public String toJson() {
    return JsonText.object(
        json -> {
          json.writeStringField("schema", SCHEMA);
          json.writeBooleanField("blocked", !blockers.isEmpty());
          json.writeArrayFieldStart("entries");
          for (MigratedEntry e : entries) {
            json.writeStartObject();
            json.writeObjectFieldStart("source");
            json.writeStringField("section", e.source().section().key());
            json.writeNumberField("index", e.source().index());
            json.writeNumberField("line", e.source().line());
            json.writeEndObject();
            json.writeStringField("type", e.type().toString());
            json.writeStringField("principal", e.principal().arn().value());
            if (e.username().isPresent()) {
              json.writeStringField("username", e.username().get());
            }
            json.writeArrayFieldStart("groups");
            for (String g : e.mapping().groups()) {
              json.writeString(g);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("policies");
            for (PolicyAssociation p : e.mapping().policies()) {
              json.writeStartObject();
              json.writeStringField("policy", p.policy().name());
              json.writeArrayFieldStart("namespaces"); // empty: cluster-wide
              for (String ns : p.scope().namespaces()) {
                json.writeString(ns);
              }
              json.writeEndArray();
              json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("notes");
            for (String n : e.notes()) {
              json.writeString(n);
            }
            json.writeEndArray();
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("skipped");
          for (String x : skipped) {
            json.writeStartObject();
            json.writeStringField(
                "reason", "ALREADY_HAS_ENTRY"); // the one reason a mapping is skipped
            json.writeStringField("message", x);
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("blockers");
          for (Blocker b : blockers) {
            json.writeStartObject();
            json.writeStringField("reason", b.reason().name());
            json.writeStringField("message", b.message());
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  /**
   * Something Access Entries cannot represent, which blocks the switch to {@code API}.
   *
   * @param reason what kind of blocker, for tools
   * @param message where, what, and what to do
   */
  public record Blocker(Reason reason, String message) {
    /** Checks for nulls. */
    public Blocker {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** What kind of blocker it is. */
    public enum Reason {
      /** A section of aws-auth EKS cannot read; repair aws-auth first. */
      UNREADABLE_SECTION,
      /** A {@code mapAccounts} entry: Access Entries map no whole account. */
      ACCOUNT_MAPPING,
      /** An {@code sso:} mapping, which Access Entries do not understand. */
      SSO_MAPPING,
      /** A mapping whose ARN is no IAM role or user. */
      NOT_AN_IAM_PRINCIPAL,
      /** A service-linked role, which Access Entries refuse. */
      SERVICE_LINKED_ROLE,
      /** A break-glass mapping, whose expiry an access entry would not carry. */
      BREAK_GLASS,
      /** A principal IAM no longer has. */
      PRINCIPAL_NOT_IN_IAM,
      /** A username or group no access entry can carry. */
      NAME_NOT_CARRIED,
      /** A node role with groups besides the node groups, which a node entry cannot carry. */
      NODE_ROLE_EXTRA_GROUPS,
      /** A {@code system:} group other than {@code system:masters}, which Access Entries refuse. */
      SYSTEM_GROUP,
      /** A username Access Entries refuse. */
      USERNAME_REFUSED
    }

    /** The message. */
    @Override
    public String toString() {
      return message;
    }
  }

  /**
   * Step 1: moves a {@code CONFIG_MAP} cluster to {@code API_AND_CONFIG_MAP}, where entries count
   * before aws-auth and aws-auth still counts for everyone else. Does nothing if the cluster is
   * already past it.
   *
   * @param modes the cluster's authentication modes
   * @return whether the mode was moved
   */
  public boolean switchToApiAndConfigMap(AuthenticationModes modes) {
    if (modes.current() != AuthenticationMode.CONFIG_MAP) {
      return false;
    }
    modes.plan(AuthenticationMode.API_AND_CONFIG_MAP).apply();
    return true;
  }

  /**
   * Step 2: creates the entries (STANDARD ones in one batch, node ones one by one). The step can be
   * repeated, and a repeat finishes what a failure left half done: an entry whose username and
   * groups are as planned gets the access policies it lacks (its other policies are kept); an entry
   * that differs otherwise is somebody else's and is left for {@link #verify} to report.
   *
   * @param backend the cluster's Access Entries backend
   * @return the number of write calls
   * @throws dev.eksaccess.api.ConflictException if the entries change while this step runs; nothing
   *     of this batch was written, run it again
   */
  public int createEntries(AccessEntriesBackend backend) {
    int writes = 0;
    IdentitySnapshot now = backend.read();
    var types = backend.entryTypes();
    List<IdentityChange> standard = new ArrayList<>();
    List<MigratedEntry> nodes = new ArrayList<>();
    for (MigratedEntry e : entries) {
      Optional<IdentityMapping> have =
          now.mappings().stream()
              .filter(m -> Migration.sameIdentity(m.principal(), e.principal()))
              .findFirst();
      if (e.type().isNode()) {
        if (have.isEmpty() || e.type().equals(types.get(have.get().principal().arn().value()))) {
          nodes.add(e);
        }
        continue;
      }
      IdentityMapping want = e.mapping();
      if (have.isEmpty()) {
        standard.add(new IdentityChange.Put(want));
      } else if (have.get().groups().equals(want.groups())
          && (want.username().isEmpty() || want.username().equals(have.get().username()))
          && !have.get().policies().containsAll(want.policies())) {
        IdentityMapping finished = have.get();
        for (var p : want.policies()) {
          if (!finished.policies().contains(p)) {
            finished = finished.withPolicy(p);
          }
        }
        standard.add(new IdentityChange.Put(finished));
      }
    }
    if (!standard.isEmpty()) {
      // against the version just read: an entry created meanwhile stops the batch, never lost
      writes += backend.write(IdentityChanges.of(standard), now.version()).writes();
    }
    for (MigratedEntry e : nodes) { // after the batch, whose version check they would upset
      writes += backend.createNodeEntry((IamRole) e.principal(), e.type());
    }
    return writes;
  }

  /**
   * Step 3: checks that every migrated principal now has the entry planned for it: the type, and
   * for STANDARD entries the username, groups and access policies.
   *
   * @param backend the cluster's Access Entries backend
   * @return what matches and what does not
   */
  public Verification verify(AccessEntriesBackend backend) {
    List<IdentityMapping> now = backend.read().mappings();
    var types = backend.entryTypes();
    List<String> mismatches = new ArrayList<>();
    for (MigratedEntry e : entries) {
      Optional<IdentityMapping> have =
          now.stream()
              .filter(m -> Migration.sameIdentity(m.principal(), e.principal()))
              .findFirst();
      if (have.isEmpty()) {
        mismatches.add(e.principal() + ": no access entry.");
        continue;
      }
      AccessEntryType type = types.get(have.get().principal().arn().value());
      if (!e.type().equals(type)) {
        mismatches.add(e.principal() + ": type " + type + ", planned " + e.type() + ".");
        continue;
      }
      if (e.type().isNode()) {
        continue;
      }
      IdentityMapping want = e.mapping();
      if (want.username().isPresent() && !want.username().equals(have.get().username())) {
        mismatches.add(
            e.principal()
                + ": username "
                + have.get().username().orElse("(none)")
                + ", aws-auth gave "
                + want.username().get()
                + ".");
      }
      if (!have.get().groups().equals(want.groups())) {
        mismatches.add(
            e.principal()
                + ": groups "
                + have.get().groups()
                + ", aws-auth gave "
                + want.groups()
                + ".");
      }
      if (!have.get().policies().containsAll(want.policies())) {
        mismatches.add(
            e.principal()
                + ": policies "
                + have.get().policies()
                + ", planned "
                + want.policies()
                + ".");
      }
    }
    return new Verification(entries.size() - countPrincipals(mismatches), mismatches);
  }

  private int countPrincipals(List<String> mismatches) {
    return (int)
        entries.stream()
            .filter(e -> mismatches.stream().anyMatch(m -> m.startsWith(e.principal() + ":")))
            .count();
  }

  /**
   * Step 4: moves the cluster to {@code API}, where aws-auth no longer counts. Refused while any
   * blocker is left, the verification finds a mismatch, or aws-auth maps anything differently from
   * when this plan was made (a node group added since would be locked out), since each would lock
   * principals out; the mode guard also wants a cluster-admin entry.
   *
   * @param modes the cluster's authentication modes
   * @param backend the cluster's Access Entries backend, to verify against
   * @param awsAuth the cluster's aws-auth, read again now
   * @throws InvalidInputException if something blocks; nothing was changed
   */
  public void switchToApi(
      AuthenticationModes modes, AccessEntriesBackend backend, AwsAuthBackend awsAuth) {
    Map<String, String> now = mappings(awsAuth.document());
    if (!now.equals(awsAuthMappings)) {
      throw InvalidInputException.of(
          ErrorCode.LOCKOUT_AUTH_MODE,
          "aws-auth",
          now.keySet().toString(),
          "changed since this migration was planned, so the plan may not cover every principal"
              + " it maps now; nothing was changed. Plan again with Migration.fromAwsAuth(..),"
              + " create the new entries, then switch.");
    }
    Verification v = verify(backend);
    List<String> reasons = new ArrayList<>(blockers());
    reasons.addAll(v.mismatches());
    if (!reasons.isEmpty()) {
      throw InvalidInputException.of(
          ErrorCode.LOCKOUT_AUTH_MODE,
          "migration",
          reasons.size() + " problem(s)",
          "the move to API would lock out principals aws-auth maps now: "
              + String.join(" ", reasons)
              + " Fix them, then switch.");
    }
    modes.plan(AuthenticationMode.API).apply();
  }

  /**
   * Step 5: deletes aws-auth, once the cluster is in {@code API} mode and aws-auth no longer
   * counts; before that it is refused.
   *
   * @param modes the cluster's authentication modes
   * @param awsAuth the aws-auth backend
   * @param reviewed the aws-auth version that was reviewed
   * @return the number of write calls (0 if aws-auth was already gone)
   * @throws InvalidInputException if the cluster is not in API mode; nothing was deleted
   */
  public int removeAwsAuth(AuthenticationModes modes, AwsAuthBackend awsAuth, Version reviewed) {
    AuthenticationMode mode = modes.current();
    if (mode != AuthenticationMode.API) {
      throw InvalidInputException.of(
          ErrorCode.LOCKOUT_AUTH_MODE,
          "authenticationMode",
          mode.name(),
          "still counts aws-auth; deleting it now would lock out everyone it maps. Switch to API"
              + " first (switchToApi).");
    }
    return awsAuth.deleteConfigMap(reviewed).writes();
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("Migration aws-auth → Access Entries: ")
            .append(entries.size())
            .append(" entries to create, ")
            .append(skipped.size())
            .append(" skipped, ")
            .append(blockers.size())
            .append(" blocking the switch to API");
    for (MigratedEntry e : entries) {
      s.append("\n  + ").append(e).append("   (from ").append(e.source()).append(')');
      e.notes().forEach(n -> s.append("\n      ").append(n));
    }
    skipped.forEach(x -> s.append("\n  = ").append(x));
    blockers.forEach(x -> s.append("\n  ! ").append(x.message()));
    return s.toString();
  }

  /**
   * What {@link #verify} found.
   *
   * @param matching how many migrated principals have the planned entry
   * @param mismatches what differs, one line each
   */
  public record Verification(int matching, List<String> mismatches) {
    /** Copies the list. */
    public Verification {
      mismatches = List.copyOf(mismatches);
    }

    /**
     * Whether every migrated principal has its planned entry.
     *
     * @return true when nothing differs
     */
    public boolean isComplete() {
      return mismatches.isEmpty();
    }

    /**
     * The verification as JSON for tools.
     *
     * <pre>{@code
     * {"schema":"eks-access/migration-verification/v1","complete":false,"matching":11,
     *  "mismatches":["arn:aws:iam::111122223333:role/Dev: no access entry."]}
     * }</pre>
     *
     * @return a JSON object
     */
    public String toJson() {
      return JsonText.object(
          json -> {
            json.writeStringField("schema", "eks-access/migration-verification/v1");
            json.writeBooleanField("complete", isComplete());
            json.writeNumberField("matching", matching);
            json.writeArrayFieldStart("mismatches");
            for (String m : mismatches) {
              json.writeString(m);
            }
            json.writeEndArray();
          });
    }
  }
}
