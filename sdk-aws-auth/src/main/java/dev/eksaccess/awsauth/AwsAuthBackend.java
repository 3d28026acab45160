package dev.eksaccess.awsauth;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.ConflictException;
import dev.eksaccess.api.Deadline;
import dev.eksaccess.api.EksAccessException;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.RetryPolicy;
import dev.eksaccess.api.spi.BreakGlassMark;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.IdentitySnapshot;
import dev.eksaccess.api.spi.PrincipalMatching;
import dev.eksaccess.api.spi.Version;
import dev.eksaccess.api.spi.WriteResult;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.BreakGlassAnnotation;
import dev.eksaccess.awsauth.internal.AwsAuthEditor;
import dev.eksaccess.kubernetes.support.KubeErrors;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Preconditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The {@code kube-system/aws-auth} ConfigMap as an {@link IdentityBackend}, over the official
 * Kubernetes Java client.
 *
 * <ul>
 *   <li>A read is one GET; a write of a batch of changes is one PUT that carries the {@code
 *       resourceVersion} it was read at, so a concurrent edit is never overwritten (409 Conflict).
 *       A write right after a read at the same version reuses that read.
 *   <li>Only the changed entries are rewritten: other entries keep their text and comments, other
 *       data keys, labels and annotations are kept, and everything written goes through the YAML
 *       emitter.
 *   <li>A section EKS cannot read is never overwritten ({@link
 *       dev.eksaccess.awsauth.MalformedAwsAuthException}); {@link #repair()} shows what a repair
 *       would drop.
 *   <li>A missing ConfigMap is created; if someone else creates it first, the write reports a
 *       conflict and a retry edits theirs.
 *   <li>{@link #update(IdentityChanges)} retries lost races itself, re-reading and re-applying the
 *       changes; through {@link dev.eksaccess.api.ClusterAccess} the plan is retried instead, with
 *       its guards checked again.
 * </ul>
 *
 * <pre>{@code
 * AwsAuthBackend ids = AwsAuth.backend(client);
 * ids.update(IdentityChanges.of(List.of(new IdentityChange.Put(
 *     IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
 *         .withUsername("dev:{{SessionName}}")
 *         .withGroups(List.of("acme:devs"))))));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AwsAuthBackend implements IdentityBackend {
  /** The ConfigMap's namespace. */
  public static final String NAMESPACE = "kube-system";

  /** The ConfigMap's name. */
  public static final String NAME = "aws-auth";

  /** The field manager recorded on writes. */
  public static final String FIELD_MANAGER = "eks-access";

  /** The version of a ConfigMap that does not exist yet. */
  static final Version ABSENT = Version.of("");

  static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.ACCOUNT_MAPPINGS,
              Capability.SYSTEM_GROUPS,
              Capability.BREAK_GLASS_RECORDS));

  private final CoreV1Api core;
  private final RetryPolicy retryPolicy;
  private final boolean dryRun;
  private final AtomicReference<@Nullable Read> lastRead = new AtomicReference<>();

  /** A read: the object as the server returned it, and its parsed document (made on demand). */
  private static final class Read {
    final @Nullable V1ConfigMap configMap;
    private @Nullable AwsAuthDocument document;

    Read(@Nullable V1ConfigMap configMap) {
      this.configMap = configMap;
    }

    Version version() {
      V1ConfigMap cm = configMap;
      if (cm == null || cm.getMetadata() == null) {
        return ABSENT;
      }
      return Version.of(Objects.requireNonNullElse(cm.getMetadata().getResourceVersion(), ""));
    }

    Map<String, String> data() {
      V1ConfigMap cm = configMap;
      return cm == null || cm.getData() == null ? Map.of() : cm.getData();
    }

    @Nullable String breakGlassAnnotation() {
      V1ConfigMap cm = configMap;
      if (cm == null || cm.getMetadata() == null || cm.getMetadata().getAnnotations() == null) {
        return null;
      }
      return cm.getMetadata().getAnnotations().get(BreakGlassAnnotation.KEY);
    }

    synchronized AwsAuthDocument document() {
      AwsAuthDocument d = document;
      if (d == null) {
        d = AwsAuthDocument.parse(data());
        document = d;
      }
      return d;
    }
  }

  private AwsAuthBackend(Builder b) {
    this.core = new CoreV1Api(b.client);
    this.retryPolicy = b.retryPolicy;
    this.dryRun = b.dryRun;
  }

  @Override
  public String name() {
    return dryRun ? "aws-auth (server dry-run)" : "aws-auth";
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public PrincipalMatching principalMatching() {
    return PrincipalMatching.CANONICAL_ARN;
  }

  /**
   * Whether writes are sent with {@code dryRun=All}: the API server checks and admits them, and
   * stores nothing.
   *
   * @return true for a dry-run backend
   */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Reads the ConfigMap: one GET. The mappings are those EKS uses (the last of duplicates; entries
   * EKS ignores or eks-access cannot model are left out of the snapshot, and kept in the
   * ConfigMap). A missing ConfigMap reads as empty.
   */
  @Override
  public IdentitySnapshot read() {
    Read r = fetch();
    return snapshot(r.version(), r.document(), r.breakGlassAnnotation());
  }

  /**
   * Renders the changes on the ConfigMap as last read (one GET if it was not), without writing: a
   * section EKS cannot read, or an edit the document cannot take, is refused now, at plan time,
   * before any RBAC is written.
   *
   * @throws dev.eksaccess.awsauth.MalformedAwsAuthException if a section the changes touch is one
   *     EKS cannot read
   */
  @Override
  public void check(IdentityChanges changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      return;
    }
    Read r = lastRead.get();
    if (r == null) {
      r = fetch();
    }
    r.document().render(changes);
  }

  /**
   * The ConfigMap as a document, for linting and explaining: one GET.
   *
   * <pre>{@code
   * ids.document().findings().forEach(System.out::println);
   * }</pre>
   *
   * @return the document; empty if the ConfigMap does not exist
   */
  public AwsAuthDocument document() {
    return fetch().document();
  }

  /**
   * Writes a batch of changes in one PUT (or one POST if the ConfigMap does not exist yet), against
   * {@code expected}. If the ConfigMap is already as the changes would make it, nothing is sent.
   *
   * @throws ConflictException if the ConfigMap is no longer at {@code expected}; nothing was
   *     written
   * @throws dev.eksaccess.awsauth.MalformedAwsAuthException if a section the changes touch is one
   *     EKS cannot read; nothing was written
   * @throws BackendException if the API server refuses or fails
   */
  @Override
  public WriteResult write(IdentityChanges changes, Version expected) {
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(expected, "expected");
    if (changes.isEmpty()) {
      return new WriteResult(expected, 0);
    }
    Read r = lastRead.get();
    if (r == null || !r.version().equals(expected)) {
      r = fetch();
      if (!r.version().equals(expected)) {
        throw new ConflictException(
            where()
                + " is at resourceVersion "
                + describe(r.version())
                + ", not "
                + describe(expected)
                + " as expected; nothing was written. Read it again and re-apply the changes.",
            null);
      }
    }
    V1ConfigMap current = r.configMap;
    boolean adds =
        changes.changes().stream()
            .anyMatch(
                c -> c instanceof IdentityChange.Put || c instanceof IdentityChange.AddAccount);
    if (current == null && !adds) {
      return new WriteResult(expected, 0); // removing from no ConfigMap: never create an empty one
    }
    Map<String, String> data = r.document().render(changes);
    @Nullable String marksBefore = r.breakGlassAnnotation();
    @Nullable String marksAfter = breakGlassAfter(marksBefore, changes);
    if (current != null && data.equals(r.data()) && Objects.equals(marksBefore, marksAfter)) {
      return new WriteResult(expected, 0);
    }
    Read w = send(current, data, marksAfter);
    return new WriteResult(dryRun ? expected : w.version(), 1);
  }

  /**
   * The break-glass annotation after the changes: a put records its mapping's mark (or drops a
   * stale one), a remove drops it. Unchanged text when nothing about marks changes, so a write
   * never rewrites an annotation someone else formatted.
   */
  private static @Nullable String breakGlassAfter(
      @Nullable String before, IdentityChanges changes) {
    Map<String, BreakGlassMark> marks = new LinkedHashMap<>(BreakGlassAnnotation.read(before));
    Map<String, BreakGlassMark> original = Map.copyOf(marks);
    for (IdentityChange c : changes.changes()) {
      if (c instanceof IdentityChange.Put put) {
        Principal p = put.mapping().principal();
        marks.keySet().removeIf(arn -> sameMappedArn(arn, p));
        put.mapping().breakGlass().ifPresent(m -> marks.put(AwsAuthEditor.awsAuthArn(p), m));
      } else if (c instanceof IdentityChange.Remove remove) {
        marks.keySet().removeIf(arn -> sameMappedArn(arn, remove.principal()));
      }
    }
    if (marks.equals(original)) {
      return before;
    }
    return marks.isEmpty() ? null : BreakGlassAnnotation.write(marks);
  }

  private static @Nullable BreakGlassMark markOf(Map<String, BreakGlassMark> marks, Principal p) {
    for (Map.Entry<String, BreakGlassMark> e : marks.entrySet()) {
      if (sameMappedArn(e.getKey(), p)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** As aws-auth matches its entries: role ARNs without case, user ARNs exactly. */
  private static boolean sameMappedArn(String arn, Principal p) {
    String mapped = AwsAuthEditor.awsAuthArn(p);
    return p instanceof IamRole ? arn.equalsIgnoreCase(mapped) : arn.equals(mapped);
  }

  /**
   * Applies changes with retries: read, render, write; on a lost race or a failure that repeating
   * may fix, read again and re-apply the same changes (never a stale document), within the retry
   * policy. Changes are idempotent, so a retry after a write that landed writes nothing more.
   *
   * <pre>{@code
   * ids.update(IdentityChanges.of(List.of(new IdentityChange.AddAccount("444455556666"))));
   * }</pre>
   *
   * @param changes the changes
   * @return the result of the last attempt
   * @throws ConflictException if every attempt lost a race
   * @throws BackendException if the API server refuses or keeps failing
   */
  public WriteResult update(IdentityChanges changes) {
    Objects.requireNonNull(changes, "changes");
    for (int attempt = 1; ; attempt++) {
      try {
        return write(changes, read().version());
      } catch (EksAccessException e) {
        if (!(e instanceof ConflictException) && !e.retryable()) {
          throw e;
        }
        if (!retryPolicy.mayRetry(e, attempt)) {
          throw e instanceof ConflictException
              ? new ConflictException(
                  where()
                      + " was changed by another writer on each of "
                      + attempt
                      + " attempts; gave up. Try again later, or allow more attempts with"
                      + " AwsAuth.builder(client).retryPolicy(..).",
                  e)
              : e;
        }
        pause(attempt);
      }
    }
  }

  /**
   * A backend on the same client that sends every write with {@code dryRun=All}: the API server
   * validates and admits it (webhooks included) and stores nothing. Use it to check a plan against
   * the real server before applying it.
   *
   * <pre>{@code
   * ClusterAccess.builder().clusterName("prod").identities(ids.dryRun()).rbac(rbac).build()
   *     .plan(devs).apply();   // checked by the server, nothing stored
   * }</pre>
   *
   * @return the dry-run backend
   */
  public AwsAuthBackend dryRun() {
    Builder b = new Builder(core.getApiClient());
    b.retryPolicy = retryPolicy;
    b.dryRun = true;
    return new AwsAuthBackend(b);
  }

  /**
   * The identity mappings as {@code eksctl get iamidentitymapping} lists them: one GET.
   *
   * @return the table
   */
  public IdentityMappingTable identityMappings() {
    return IdentityMappingTable.of(document());
  }

  /**
   * Maps a principal, refusing to create a second entry for it: if an identical mapping exists
   * nothing is written; if a different one exists, nothing is written and the error shows both.
   *
   * <pre>{@code
   * ids.createIdentityMapping(IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/Ops"))
   *     .withUsername("ops").withGroups(List.of("acme:ops")));
   * }</pre>
   *
   * @param mapping the mapping
   * @return the write; {@code writes() == 0} if it already existed
   * @throws InvalidInputException if the principal is already mapped differently
   */
  public WriteResult createIdentityMapping(IdentityMapping mapping) {
    Objects.requireNonNull(mapping, "mapping");
    for (int attempt = 1; ; attempt++) {
      IdentitySnapshot now = read();
      Optional<IdentityMapping> existing =
          now.mappings().stream()
              .filter(m -> sameArn(m.principal(), mapping.principal()))
              .reduce((a, b) -> b);
      IdentityMapping wanted =
          mapping.username().isPresent()
              ? mapping
              : mapping.withUsername(AccessEntryRules.defaultUsername(mapping.principal()));
      if (existing.isPresent()) {
        if (existing.get().username().equals(wanted.username())
            && existing.get().groups().equals(wanted.groups())) {
          return new WriteResult(now.version(), 0);
        }
        throw InvalidInputException.of(
            ErrorCode.INVALID_GRANT,
            "mapping",
            mapping.principal().arn().value(),
            "is already mapped in "
                + where()
                + " as username "
                + existing.get().username().orElse("(none)")
                + ", groups "
                + existing.get().groups()
                + "; nothing was written. Delete that mapping first, or change it with a grant.");
      }
      try {
        return write(IdentityChanges.of(List.of(new IdentityChange.Put(wanted))), now.version());
      } catch (ConflictException e) {
        if (!retryPolicy.mayRetry(e, attempt)) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /**
   * Removes a principal's mapping: every entry for its ARN, or only the first, as {@code eksctl
   * delete iamidentitymapping} does without {@code --all}.
   *
   * <pre>{@code
   * ids.deleteIdentityMapping(IamRole.of("arn:aws:iam::111122223333:role/Contractor"), true);
   * }</pre>
   *
   * @param principal the role or user
   * @param all true to remove every entry for the ARN, false for only the first
   * @return the write; {@code writes() == 0} if there was no such mapping
   */
  public WriteResult deleteIdentityMapping(Principal principal, boolean all) {
    Objects.requireNonNull(principal, "principal");
    @Nullable List<EntryText> pinned = null;
    for (int attempt = 1; ; attempt++) {
      Read r = fetch();
      List<EntryText> entries = entriesFor(r.document(), principal);
      if (pinned == null) {
        pinned = entries;
      } else if (!all && !entries.equals(pinned)) {
        // Removing "the first" again would remove a second entry if the earlier write landed.
        if (entries.equals(pinned.subList(1, pinned.size()))) {
          return new WriteResult(r.version(), 1);
        }
        throw new ConflictException(
            "another writer changed the entries for "
                + AwsAuthEditor.awsAuthArn(principal)
                + " in "
                + where()
                + " while this delete was retried; nothing more was written. List them again"
                + " with identityMappings() and delete again.",
            null);
      }
      Map<String, String> data = r.document().withoutMapping(principal, all);
      V1ConfigMap current = r.configMap;
      if (current == null || data.equals(r.data())) {
        return new WriteResult(r.version(), 0);
      }
      try {
        // the mark goes with the principal's last entry, never with one of several
        @Nullable String marks =
            all || entries.size() <= 1
                ? breakGlassAfter(
                    r.breakGlassAnnotation(),
                    IdentityChanges.of(List.of(new IdentityChange.Remove(principal))))
                : r.breakGlassAnnotation();
        return new WriteResult(send(current, data, marks).version(), 1);
      } catch (EksAccessException e) {
        if (!retryPolicy.mayRetry(e, attempt)) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /**
   * Deletes the aws-auth ConfigMap, provided nobody changed it since it was last read here: the
   * last step of a move to Access Entries, once the cluster's authentication mode is {@code API}
   * (before that, deleting it locks out everyone it maps).
   *
   * <pre>{@code
   * ids.deleteConfigMap(ids.read().version());
   * }</pre>
   *
   * @param expected the version last read and reviewed
   * @return the write; {@code writes() == 0} if there was no ConfigMap
   * @throws ConflictException if the ConfigMap changed since {@code expected}; nothing was deleted
   */
  public WriteResult deleteConfigMap(Version expected) {
    Objects.requireNonNull(expected, "expected");
    Read r = fetch();
    V1ConfigMap current = r.configMap;
    if (current == null) {
      return new WriteResult(r.version(), 0);
    }
    if (!r.version().equals(expected)) {
      throw new ConflictException(
          where()
              + " changed since it was reviewed (resourceVersion "
              + describe(r.version())
              + ", not "
              + describe(expected)
              + "); nothing was deleted. Read it again.",
          null);
    }
    try {
      core.deleteNamespacedConfigMap(NAME, NAMESPACE)
          .body(
              new V1DeleteOptions()
                  .preconditions(new V1Preconditions().resourceVersion(expected.value())))
          .dryRun(dryRun ? "All" : null)
          .execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return new WriteResult(ABSENT, 0);
      }
      throw failure("delete", e);
    }
    if (!dryRun) {
      lastRead.set(new Read(null));
    }
    return new WriteResult(dryRun ? expected : ABSENT, 1);
  }

  /**
   * What an explicit repair would do: the mappings that EKS already ignores because their section
   * does not parse, and that a rewrite of that section would drop for good. Nothing is written
   * until {@link AwsAuthRepair#confirmDropping(List)} is called with exactly the list shown.
   *
   * <pre>{@code
   * AwsAuthRepair repair = ids.repair();
   * System.out.println(repair);            // which sections, which entries are lost
   * repair.confirmDropping(List.of("arn:aws:iam::111122223333:role/Legacy"));
   * }</pre>
   *
   * @return the repair; {@link AwsAuthRepair#isNeeded()} is false when every section reads
   */
  public AwsAuthRepair repair() {
    Read r = fetch();
    return new AwsAuthRepair(this, r.document(), r.version());
  }

  /** Writes the repaired data, against the version the repair was shown for. */
  WriteResult writeRepaired(Map<String, String> data, Version expected) {
    Read r = fetch();
    if (!r.version().equals(expected) || r.configMap == null) {
      throw new ConflictException(
          where()
              + " changed since the repair was shown; nothing was written. Call repair() again and"
              + " review it.",
          null);
    }
    return new WriteResult(send(r.configMap, data, r.breakGlassAnnotation()).version(), 1);
  }

  /**
   * Sends the ConfigMap with new data: a replace carrying the read resourceVersion, or a create
   * when there is none yet. What the server returns is cached for the next write, unless this is a
   * dry run (which stores nothing).
   */
  private Read send(
      @Nullable V1ConfigMap current, Map<String, String> data, @Nullable String breakGlass) {
    V1ConfigMap body = current == null ? created() : copyOf(current);
    body.setData(new LinkedHashMap<>(data));
    V1ObjectMeta meta = Objects.requireNonNull(body.getMetadata(), "metadata");
    Map<String, String> annotations =
        new LinkedHashMap<>(Objects.requireNonNullElse(meta.getAnnotations(), Map.of()));
    if (breakGlass == null) {
      annotations.remove(BreakGlassAnnotation.KEY);
    } else {
      annotations.put(BreakGlassAnnotation.KEY, breakGlass);
    }
    meta.setAnnotations(annotations.isEmpty() ? null : annotations);
    Read written = new Read(current == null ? create(body) : replace(body));
    if (!dryRun) {
      lastRead.set(written);
    }
    return written;
  }

  @Override
  public String toString() {
    return "AwsAuthBackend[" + core.getApiClient().getBasePath() + (dryRun ? ", dry-run]" : "]");
  }

  private Read fetch() {
    Read r;
    try {
      r = new Read(core.readNamespacedConfigMap(NAME, NAMESPACE).execute());
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw failure("read", e);
      }
      r = new Read(null);
    }
    lastRead.set(r);
    return r;
  }

  private V1ConfigMap create(V1ConfigMap body) {
    try {
      return core.createNamespacedConfigMap(NAMESPACE, body)
          .fieldManager(FIELD_MANAGER)
          .dryRun(dryRun ? "All" : null)
          .execute();
    } catch (ApiException e) {
      throw failure("create", e);
    }
  }

  private V1ConfigMap replace(V1ConfigMap body) {
    try {
      return core.replaceNamespacedConfigMap(NAME, NAMESPACE, body)
          .fieldManager(FIELD_MANAGER)
          .dryRun(dryRun ? "All" : null)
          .execute();
    } catch (ApiException e) {
      throw failure("replace", e);
    }
  }

  private static V1ConfigMap created() {
    return new V1ConfigMap()
        .apiVersion("v1")
        .kind("ConfigMap")
        .metadata(new V1ObjectMeta().name(NAME).namespace(NAMESPACE));
  }

  /**
   * A copy for the PUT, so a cached read is never mutated; keeps labels, annotations, binaryData.
   */
  private static V1ConfigMap copyOf(V1ConfigMap cm) {
    V1ObjectMeta m = Objects.requireNonNull(cm.getMetadata(), "metadata");
    V1ObjectMeta meta =
        new V1ObjectMeta()
            .name(m.getName())
            .namespace(m.getNamespace())
            .resourceVersion(m.getResourceVersion())
            .uid(m.getUid())
            .labels(m.getLabels())
            .annotations(m.getAnnotations())
            .finalizers(m.getFinalizers())
            .ownerReferences(m.getOwnerReferences());
    return new V1ConfigMap()
        .apiVersion("v1")
        .kind("ConfigMap")
        .metadata(meta)
        .immutable(cm.getImmutable())
        .binaryData(cm.getBinaryData())
        .data(cm.getData());
  }

  private EksAccessException failure(String operation, ApiException e) {
    int code = e.getCode();
    if (code == 409) {
      return new ConflictException(
          "AlreadyExists".equals(KubeErrors.reason(e))
              ? where()
                  + " was created by someone else while eks-access was creating it; nothing was"
                  + " written. Read it again and re-apply the changes."
              : where()
                  + " was changed by another writer since it was read (409 Conflict); nothing was"
                  + " written. Read it again and re-apply the changes.",
          e);
    }
    if (code == 404 && operation.equals("replace")) {
      return new ConflictException(
          where()
              + " was deleted by another writer since it was read (404 Not Found); nothing was"
              + " written. Read it again and re-apply the changes.",
          e);
    }
    String verb =
        operation.equals("read") ? "get" : operation.equals("create") ? "create" : "update";
    return KubeErrors.failure(
        operation + " " + where(),
        e,
        "The caller may not " + verb + " configmaps in kube-system; grant that in RBAC.",
        "The namespace kube-system does not exist: is this an EKS cluster?");
  }

  private void pause(int retry) {
    // an operation's deadline ends the retries too, not only ClusterAccess's own loop
    Deadline.current().ifPresent(d -> d.check("retry " + retry + " of a write to " + where()));
    retryPolicy.pauseBefore(retry, "a write to " + where());
  }

  private static String where() {
    return "ConfigMap " + NAMESPACE + "/" + NAME;
  }

  private static String describe(Version v) {
    return v.value().isEmpty() ? "(absent)" : v.value();
  }

  /** The entries for the principal's ARN, in order, without their position (lines move). */
  private static List<EntryText> entriesFor(AwsAuthDocument doc, Principal principal) {
    String arn = AwsAuthEditor.awsAuthArn(principal);
    List<AwsAuthEntry> section =
        principal instanceof IamRole ? doc.roleMappings() : doc.userMappings();
    return section.stream()
        .filter(e -> e.arn().equalsIgnoreCase(arn))
        .map(e -> new EntryText(e.arn(), e.username(), e.groups()))
        .toList();
  }

  private record EntryText(String arn, Optional<String> username, List<String> groups) {}

  private static boolean sameArn(Principal a, Principal b) {
    return a.arn()
        .value()
        .toLowerCase(Locale.ROOT)
        .equals(b.arn().value().toLowerCase(Locale.ROOT));
  }

  /**
   * The snapshot of a read document: the mappings EKS uses, one per ARN (the last wins) that
   * eks-access can model, each with the entry it comes from, in one pass over the entries.
   *
   * <p>Each break-glass mapping carries its mark from the ConfigMap's annotation. A mark counts
   * only on an entry eks-access's break-glass wrote (username {@link BreakGlass#AWS_AUTH_USERNAME},
   * groups exactly {@code [system:masters]}): a mark left behind by a tool that deleted the entry
   * never makes an ordinary mapping expire. A break-glass entry whose mark is gone (a writer
   * replaced the ConfigMap's metadata) reads as expired, so a lost record never makes a temporary
   * admin permanent: the next sweep removes it.
   */
  static IdentitySnapshot snapshot(
      Version version, AwsAuthDocument doc, @Nullable String breakGlass) {
    List<InForce> inForce = new ArrayList<>();
    for (AwsAuthEntry e : doc.mappingsInForce()) {
      Optional<Principal> p = e.principal();
      if (p.isPresent()) {
        try {
          IdentityMapping m =
              IdentityMapping.of(p.get())
                  .withUsername(e.username().orElse(null))
                  .withGroups(e.groups());
          inForce.add(new InForce(m, e.source()));
        } catch (InvalidInputException ignored) {
          // A name eks-access cannot model (EKS may still use it): the entry stays in the
          // ConfigMap untouched, and findings() reports it.
        }
      }
    }
    Map<String, BreakGlassMark> marks = BreakGlassAnnotation.read(breakGlass);
    List<IdentityMapping> mappings = new ArrayList<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (InForce f : inForce) {
      IdentityMapping m = f.mapping();
      if (isBreakGlassShaped(m)) {
        BreakGlassMark mark = markOf(marks, m.principal());
        m = m.withBreakGlass(Optional.of(mark == null ? RECORD_LOST : mark));
      }
      mappings.add(m);
      sources.put(m.principal().arn().value(), f.source().toString());
    }
    return new IdentitySnapshot(version, mappings, doc.accounts(), sources)
        .withUnreadable(doc.sectionErrors().stream().map(SectionError::toString).toList());
  }

  /** A mapping in force and the entry it comes from. */
  private record InForce(IdentityMapping mapping, MappingSource source) {}

  /** What a break-glass mapping whose record is gone reads as: expired since the epoch. */
  private static final BreakGlassMark RECORD_LOST =
      new BreakGlassMark(
          "record lost: the ConfigMap annotation eks-access.dev/break-glass no longer names it",
          Instant.EPOCH,
          Instant.EPOCH.plusSeconds(1),
          Optional.empty());

  private static boolean isBreakGlassShaped(IdentityMapping m) {
    return m.username().filter(BreakGlass.AWS_AUTH_USERNAME::equals).isPresent()
        && m.groups().equals(List.of("system:masters"));
  }

  /** Builds an {@link AwsAuthBackend}; start from {@link AwsAuth#builder(ApiClient)}. */
  public static final class Builder {
    private final ApiClient client;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private boolean dryRun;

    Builder(ApiClient client) {
      this.client = client;
    }

    /**
     * How {@link AwsAuthBackend#update(IdentityChanges)} and the eksctl-style operations retry a
     * lost race. Default: {@link RetryPolicy#defaults()}.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Sends every write with {@code dryRun=All}: validated by the server, stored nowhere.
     *
     * @param dryRun true for server dry-run
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Builds the backend.
     *
     * @return the backend
     */
    public AwsAuthBackend build() {
      return new AwsAuthBackend(this);
    }
  }
}
