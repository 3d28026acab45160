package dev.eksaccess.awsauth;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.support.JsonText;
import dev.eksaccess.api.support.ReservedNames;
import dev.eksaccess.api.support.Templates;
import dev.eksaccess.api.support.Texts;
import dev.eksaccess.awsauth.internal.AwsAuthEditor;
import dev.eksaccess.awsauth.internal.SectionParser;
import dev.eksaccess.kubernetes.support.YamlLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The aws-auth ConfigMap, read exactly as EKS (aws-iam-authenticator) reads it: a section that is
 * not valid YAML or not a list is dropped whole and reported in {@link #sectionErrors()}; a bad
 * entry is dropped alone; a field of the wrong type reads as empty; keys inside entries match
 * case-insensitively while the data keys are case-sensitive.
 *
 * <pre>{@code
 * AwsAuthDocument doc = AwsAuthDocument.parseManifest(Files.readString(Path.of("aws-auth.yaml")));
 * doc.sectionErrors().forEach(System.err::println);
 * Optional<MappedIdentity> who =
 *     doc.resolve(Caller.of("arn:aws:sts::111122223333:assumed-role/DevTeamRole/jane"));
 * }</pre>
 */
public final class AwsAuthDocument {
  private static final Pattern INSTANCE_ID = Pattern.compile("i-(\\w{8}|\\w{17})");

  private final Map<String, String> data;
  private final List<AwsAuthEntry> roles;
  private final List<AwsAuthEntry> users;
  private final List<String> accounts;
  private final List<SectionError> errors;
  private final List<Finding> findings;
  // read-only after parsing
  private final Map<Section, SectionParser.Tree> trees = new EnumMap<>(Section.class);

  private AwsAuthDocument(Map<String, String> data) {
    this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    SectionParser.Result roles = parse(Section.MAP_ROLES);
    SectionParser.Result users = parse(Section.MAP_USERS);
    SectionParser.Result accounts = parse(Section.MAP_ACCOUNTS);
    this.roles = roles.entries();
    this.users = users.entries();
    this.accounts = accounts.accounts();
    List<SectionError> errors = new ArrayList<>();
    roles.error().ifPresent(errors::add);
    users.error().ifPresent(errors::add);
    accounts.error().ifPresent(errors::add);
    this.errors = List.copyOf(errors);
    roles.tree().ifPresent(t -> this.trees.put(Section.MAP_ROLES, t));
    users.tree().ifPresent(t -> this.trees.put(Section.MAP_USERS, t));
    accounts.tree().ifPresent(t -> this.trees.put(Section.MAP_ACCOUNTS, t));
    List<Finding> findings = new ArrayList<>();
    findings.addAll(roles.findings());
    findings.addAll(duplicates(this.roles, true));
    findings.addAll(users.findings());
    findings.addAll(duplicates(this.users, false));
    findings.addAll(accounts.findings());
    findings.addAll(misnamedKeys(this.data));
    findings.sort(
        Comparator.comparing(Finding::section)
            .thenComparingInt(Finding::line)
            .thenComparingInt(Finding::column));
    this.findings = List.copyOf(findings);
  }

  /**
   * Data keys that look like a section but are not one, which EKS ignores with everything in them:
   * {@code MapRoles}, {@code maproles}, {@code mapRole}, {@code map_roles}.
   */
  private static List<Finding> misnamedKeys(Map<String, String> data) {
    List<Finding> out = new ArrayList<>();
    for (String key : data.keySet()) {
      String squashed = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
      for (Section section : Section.values()) {
        String want = section.key().toLowerCase(Locale.ROOT);
        // a miscasing or a one-letter slip; a longer name (mapRoles-old, mapRolesDisabled) is
        // more likely parked on purpose
        boolean close =
            squashed.equals(want)
                || (Math.abs(squashed.length() - want.length()) <= 1
                    && Texts.editDistance(squashed, want) <= 1);
        if (close && !key.equals(section.key())) {
          out.add(
              new Finding(
                  Finding.Code.MISNAMED_KEY,
                  Finding.Severity.ERROR,
                  section,
                  1,
                  1,
                  "data key "
                      + Texts.quote(key)
                      + " is not "
                      + section.key()
                      + ": EKS reads only mapRoles, mapUsers and mapAccounts, spelled exactly so,"
                      + " and ignores this key with every mapping in it. Rename it to "
                      + section.key()
                      + (data.containsKey(section.key()) ? " (merging it with the one there)" : "")
                      + "."));
        }
      }
    }
    return out;
  }

  /** Role keys are lower-cased by EKS, so case variants shadow; user keys are not, so they race. */
  private static List<Finding> duplicates(List<AwsAuthEntry> entries, boolean roles) {
    List<Finding> out = new ArrayList<>();
    Map<String, AwsAuthEntry> last = new LinkedHashMap<>();
    for (AwsAuthEntry e : entries) {
      if (!isInForce(e) || e.arn().isEmpty()) {
        continue;
      }
      AwsAuthEntry earlier = last.put(e.arn().toLowerCase(Locale.ROOT), e);
      if (earlier == null) {
        continue;
      }
      boolean sameText = earlier.arn().equals(e.arn());
      String message =
          roles || sameText
              ? e.source()
                  + " maps "
                  + e.arn()
                  + " again"
                  + (sameText ? "" : " (differing only in case)")
                  + ", so it shadows "
                  + earlier.source()
                  + ": EKS uses only the last one. Merge them into one entry."
              : e.source()
                  + " and "
                  + earlier.source()
                  + " map "
                  + e.arn()
                  + " and "
                  + earlier.arn()
                  + ", which differ only in case: EKS matches either, in no fixed order. Keep one.";
      out.add(
          new Finding(
              Finding.Code.DUPLICATE_ARN,
              roles || sameText ? Finding.Severity.WARNING : Finding.Severity.ERROR,
              e.source().section(),
              e.source().line(),
              1,
              message));
    }
    return out;
  }

  /**
   * The document after these changes, as EKS would read it. Only the edited entries change: other
   * data keys, other entries (their text and comments) and fields eks-access does not model are
   * kept. Role ARNs are written without their IAM path, because STS never reports it and aws-auth
   * compares ARNs as text. Everything written goes through the YAML emitter, quoted where EKS's
   * YAML 1.1 reader would otherwise misread it.
   *
   * <pre>{@code
   * AwsAuthDocument next = doc.apply(IdentityChanges.of(List.of(new IdentityChange.Put(
   *     IdentityMapping.of(IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole"))
   *         .withUsername("dev:{{SessionName}}")
   *         .withGroups(List.of("acme:devs"))))));
   * next.data().get("mapRoles");
   * }</pre>
   *
   * @param changes the changes
   * @return the new document; this one is unchanged
   * @throws MalformedAwsAuthException if a section the changes touch is one EKS cannot read (it is
   *     never overwritten), if the change would rewrite an entry whose anchor a kept entry uses, or
   *     if the edit would not read back as meant; nothing is changed
   * @throws InvalidInputException if a put adds a username or group Kubernetes or EKS reserves
   *     ({@code system:}, {@code eks:}, {@code aws:}, {@code amazon:}, {@code iam:}, or a template
   *     that can render into one) outside a node-role mapping and the break-glass mapping
   * @throws dev.eksaccess.api.UnsupportedGrantException if a change carries access policies
   */
  public AwsAuthDocument apply(IdentityChanges changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      return this;
    }
    return new AwsAuthDocument(render(changes));
  }

  /**
   * The ConfigMap data after these changes, without reading it back: what a write sends. Same rules
   * as {@link #apply(IdentityChanges)}.
   *
   * <pre>{@code
   * configMap.setData(doc.render(changes));
   * }</pre>
   *
   * @param changes the changes
   * @return the new data, every key included
   * @throws MalformedAwsAuthException as for {@link #apply(IdentityChanges)}
   * @throws InvalidInputException as for {@link #apply(IdentityChanges)}
   * @throws dev.eksaccess.api.UnsupportedGrantException if a change carries access policies
   */
  public Map<String, String> render(IdentityChanges changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      return data;
    }
    requireNoReservedNames(changes);
    AwsAuthEditor.Edited edited = AwsAuthEditor.edit(data, trees, errors, changes);
    return provenLocally(edited, changes) ? edited.data() : readBackWhole(edited, changes);
  }

  /**
   * The edit when it only spliced whole items into sections whose items read the same wherever they
   * stand ({@link AwsAuthEditor.Edited}), proven by reading only the text it wrote: every kept item
   * is the same text in the same context. Empty when that proof does not apply, and the edit must
   * be read back whole ({@link #renderReadBackWhole}), which also words any refusal. This is what
   * keeps a write to a 1 MiB aws-auth at one parse of it, not two.
   */
  Optional<Map<String, String>> renderProvenLocally(IdentityChanges changes) {
    requireNoReservedNames(changes);
    AwsAuthEditor.Edited edited = AwsAuthEditor.edit(data, trees, errors, changes);
    return provenLocally(edited, changes) ? Optional.of(edited.data()) : Optional.empty();
  }

  /** The edit, read back whole before anyone writes it: see {@link #verified}. */
  Map<String, String> renderReadBackWhole(IdentityChanges changes) {
    requireNoReservedNames(changes);
    return readBackWhole(AwsAuthEditor.edit(data, trees, errors, changes), changes);
  }

  /** Whether the local proof holds for this edit: see {@link #renderProvenLocally}. */
  private boolean provenLocally(AwsAuthEditor.Edited edited, IdentityChanges changes) {
    List<AwsAuthEntry> present = new ArrayList<>();
    for (Section section : Section.values()) {
      boolean changed = !Objects.equals(data.get(section.key()), edited.data().get(section.key()));
      AwsAuthEditor.@Nullable Splice splice = edited.splices().get(section);
      if (changed && splice == null) {
        return false;
      }
      List<AwsAuthEntry> before = entries(section);
      for (int i = 0; i < before.size(); i++) {
        if (splice == null || !splice.replaced().contains(i)) {
          present.add(before.get(i));
        }
      }
      if (splice == null) {
        continue;
      }
      for (String written : splice.written()) {
        SectionParser.Result read = SectionParser.parse(section, written);
        if (read.error().isPresent() || read.tree().map(t -> !t.local()).orElse(true)) {
          return false;
        }
        present.addAll(read.entries());
      }
    }
    for (String arn : puts(changes)) {
      if (present.stream().noneMatch(e -> e.arn().equalsIgnoreCase(arn))) {
        return false;
      }
    }
    return true;
  }

  private Map<String, String> readBackWhole(AwsAuthEditor.Edited edited, IdentityChanges changes) {
    List<String> put = puts(changes);
    Set<String> touched = new HashSet<>(put);
    for (IdentityChange c : changes.changes()) {
      if (c instanceof IdentityChange.Remove r) {
        touched.add(AwsAuthEditor.awsAuthArn(r.principal()).toLowerCase(Locale.ROOT));
      }
    }
    return verified(edited.data(), touched, put);
  }

  private static List<String> puts(IdentityChanges changes) {
    List<String> put = new ArrayList<>();
    for (IdentityChange c : changes.changes()) {
      if (c instanceof IdentityChange.Put p) {
        put.add(AwsAuthEditor.awsAuthArn(p.mapping().principal()).toLowerCase(Locale.ROOT));
      }
    }
    return put;
  }

  /**
   * The edited data, read back before anyone writes it: every section as readable as before, every
   * entry the changes do not touch read the same, every put present. The editor keeps text it does
   * not understand, so this guards the promise that an edit never costs a mapping.
   */
  private Map<String, String> verified(
      Map<String, String> next, Set<String> touched, List<String> put) {
    AwsAuthDocument after = new AwsAuthDocument(next);
    List<String> problems = new ArrayList<>();
    for (SectionError e : after.sectionErrors()) {
      if (errors.stream().noneMatch(b -> b.section() == e.section())) {
        problems.add(e.section().key() + " would become unreadable: " + e.problem());
      }
    }
    for (Section section : Section.values()) {
      List<String> kept = new ArrayList<>();
      for (AwsAuthEntry e : entries(section)) {
        if (!touched.contains(e.arn().toLowerCase(Locale.ROOT))) {
          kept.add(view(e));
        }
      }
      List<String> now = new ArrayList<>();
      for (AwsAuthEntry e : after.entries(section)) {
        if (!touched.contains(e.arn().toLowerCase(Locale.ROOT))) {
          now.add(view(e));
        }
      }
      if (!now.equals(kept)) {
        problems.add(section.key() + " would read differently outside the changed entries");
      }
    }
    for (String arn : put) {
      boolean present =
          concat(after.roleMappings(), after.userMappings()).stream()
              .anyMatch(e -> e.arn().equalsIgnoreCase(arn));
      if (!present) {
        problems.add(sectionOf(arn) + " would not map " + arn);
      }
    }
    if (!problems.isEmpty()) {
      throw new MalformedAwsAuthException(
          problems.get(0).substring(0, problems.get(0).indexOf(' ')),
          1,
          1,
          REFUSED_OWN_EDIT
              + ", which EKS would read otherwise than meant: "
              + String.join("; ", problems)
              + ". Nothing was written. The section's text is one eks-access cannot edit in place"
              + " (please report it with the aws-auth text); make this change by hand, or write"
              + " the section plainly (no anchors or block scalars) and retry.");
    }
    return Collections.unmodifiableMap(next);
  }

  /** The start of the message of an edit the self-check refused. */
  static final String REFUSED_OWN_EDIT = "eks-access refused its own edit of aws-auth";

  private static String sectionOf(String arn) {
    return (arn.contains(":role/") ? Section.MAP_ROLES : Section.MAP_USERS).key();
  }

  /**
   * Refuses a put that adds a name Kubernetes or EKS keeps for itself, under the rules every
   * aws-auth writer of eks-access shares ({@link ReservedNames#awsAuthProblems}): only node-role
   * and break-glass mappings hold them, and names an entry already holds may stay.
   */
  private void requireNoReservedNames(IdentityChanges changes) {
    List<InvalidInputException.Problem> problems = new ArrayList<>();
    for (IdentityChange c : changes.changes()) {
      if (c instanceof IdentityChange.Put put) {
        IdentityMapping m = put.mapping();
        boolean role = m.principal() instanceof IamRole;
        String arn = AwsAuthEditor.awsAuthArn(m.principal());
        @Nullable AwsAuthEntry existing = null;
        for (AwsAuthEntry e : role ? roles : users) {
          if (e.arn().equalsIgnoreCase(arn)) {
            existing = e; // the editor changes the last one
          }
        }
        problems.addAll(
            ReservedNames.awsAuthProblems(
                m,
                existing == null ? Optional.empty() : existing.username(),
                existing == null ? List.of() : existing.groups(),
                (role ? Section.MAP_ROLES : Section.MAP_USERS).key() + " " + arn));
      }
    }
    if (!problems.isEmpty()) {
      throw ReservedNames.exception(problems);
    }
  }

  private List<AwsAuthEntry> entries(Section section) {
    return switch (section) {
      case MAP_ROLES -> roleMappings();
      case MAP_USERS -> userMappings();
      case MAP_ACCOUNTS -> List.of();
    };
  }

  private static String view(AwsAuthEntry e) {
    return e.arn() + " " + e.username() + " " + e.groups() + " " + e.sso();
  }

  /**
   * The ConfigMap data without the entries for {@code principal}: every entry for its ARN, or only
   * the first, as {@code eksctl delete iamidentitymapping} does without {@code --all}. Role ARNs
   * compare without their path and case, as EKS matches them. Other entries keep their text.
   *
   * <pre>{@code
   * Map<String, String> data = doc.withoutMapping(IamRole.of(arn), true);
   * }</pre>
   *
   * @param principal the role or user
   * @param all true for every entry, false for the first
   * @return the new data; this document's data when there is no such entry
   * @throws MalformedAwsAuthException if the section is one EKS cannot read
   */
  public Map<String, String> withoutMapping(Principal principal, boolean all) {
    Objects.requireNonNull(principal, "principal");
    Map<String, String> next = AwsAuthEditor.removeMapping(data, trees, errors, principal, all);
    return next == data
        ? Collections.unmodifiableMap(data)
        : verified(
            next, Set.of(AwsAuthEditor.awsAuthArn(principal).toLowerCase(Locale.ROOT)), List.of());
  }

  /**
   * Every mistake EKS would silently accept, ignore or misread, in section and line order.
   *
   * <pre>{@code
   * doc.findings().stream()
   *     .filter(f -> f.severity() == Finding.Severity.ERROR)
   *     .forEach(System.err::println);
   * }</pre>
   *
   * @return the findings; empty for a clean aws-auth
   */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * The findings as JSON for tools and CI, version 1 ({@code "schema":
   * "eks-access/aws-auth-findings/v1"}): each with its code, severity, section, line, column and
   * message (which says the fix), plus the sections EKS cannot read.
   *
   * <pre>{@code
   * Files.writeString(Path.of("aws-auth-lint.json"), doc.findingsToJson());
   * }</pre>
   *
   * @return a JSON object
   */
  public String findingsToJson() {
    return JsonText.object(
        json -> {
          json.writeStringField("schema", "eks-access/aws-auth-findings/v1");
          json.writeArrayFieldStart("findings");
          for (Finding f : findings) {
            json.writeStartObject();
            json.writeStringField("code", f.code().name());
            json.writeStringField("severity", f.severity().name());
            json.writeStringField("section", f.section().key());
            json.writeNumberField("line", f.line());
            json.writeNumberField("column", f.column());
            json.writeStringField("message", f.message());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("unreadableSections");
          for (SectionError e : errors) {
            json.writeStartObject();
            json.writeStringField("section", e.section().key());
            json.writeNumberField("line", e.line());
            json.writeNumberField("column", e.column());
            json.writeStringField("problem", e.problem());
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  private SectionParser.Result parse(Section section) {
    String text = data.get(section.key());
    return text == null ? SectionParser.Result.empty() : SectionParser.parse(section, text);
  }

  /**
   * Reads the ConfigMap's {@code data}.
   *
   * <pre>{@code
   * AwsAuthDocument doc = AwsAuthDocument.parse(Map.of("mapRoles", """
   *     - rolearn: arn:aws:iam::111122223333:role/DevTeamRole
   *       username: dev:{{SessionName}}
   *       groups: [acme:devs]
   *     """));
   * }</pre>
   *
   * @param configMapData the data keys and their text
   * @return the document; never fails on content, as EKS never does: a section EKS cannot read (its
   *     YAML 1.1 reader breaks lines at U+0085, U+2028 and U+2029 too), or one nested deeper than
   *     100 levels, is a {@link SectionError}
   */
  public static AwsAuthDocument parse(Map<String, String> configMapData) {
    Objects.requireNonNull(configMapData, "configMapData");
    return new AwsAuthDocument(configMapData);
  }

  /**
   * Reads a whole ConfigMap manifest, as {@code kubectl get configmap aws-auth -n kube-system -o
   * yaml} prints it (metadata, annotations and managedFields included).
   *
   * @param manifestYaml the manifest
   * @return the document
   * @throws MalformedAwsAuthException if the manifest itself is not YAML, not a ConfigMap, or its
   *     data is not text; says where
   */
  public static AwsAuthDocument parseManifest(String manifestYaml) {
    Objects.requireNonNull(manifestYaml, "manifestYaml");
    Object root;
    try {
      root = YamlLimits.loadOne("manifest", manifestYaml);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
      int column = e.getProblemMark().map(m -> m.getColumn() + 1).orElse(1);
      throw new MalformedAwsAuthException(
          "manifest", line, column, "the manifest is not valid YAML: " + e.getProblem() + ".");
    } catch (YamlEngineException e) {
      throw new MalformedAwsAuthException(
          "manifest", 1, 1, "the manifest is not valid YAML: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> manifest) || !"ConfigMap".equals(manifest.get("kind"))) {
      throw new MalformedAwsAuthException(
          "manifest",
          1,
          1,
          "is not a ConfigMap manifest (kind: ConfigMap); pass the aws-auth ConfigMap.");
    }
    Object rawData = manifest.get("data");
    Map<String, String> data = new LinkedHashMap<>();
    if (rawData instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof String value)) {
          throw new MalformedAwsAuthException(
              "data",
              1,
              1,
              "data." + e.getKey() + " is not text; a ConfigMap's data maps names to strings.");
        }
        data.put(key, value);
      }
    } else if (rawData != null) {
      throw new MalformedAwsAuthException("data", 1, 1, "data is not a mapping of names to text.");
    }
    return new AwsAuthDocument(data);
  }

  /**
   * The ConfigMap data exactly as given, every key included (EKS reads only the three sections).
   *
   * @return the data
   */
  public Map<String, String> data() {
    return data;
  }

  /**
   * The {@code mapRoles} entries as EKS reads them, invalid ones included (see {@link
   * #isInForce(AwsAuthEntry)}).
   *
   * @return the entries, in order
   */
  public List<AwsAuthEntry> roleMappings() {
    return roles;
  }

  /**
   * The {@code mapUsers} entries as EKS reads them.
   *
   * @return the entries, in order
   */
  public List<AwsAuthEntry> userMappings() {
    return users;
  }

  /**
   * The {@code mapAccounts} items, as written.
   *
   * @return the account ids
   */
  public List<String> accounts() {
    return accounts;
  }

  /**
   * The sections EKS drops whole, with where and what that loses.
   *
   * @return the errors; empty when every section reads
   */
  public List<SectionError> sectionErrors() {
    return errors;
  }

  /**
   * Whether EKS keeps this entry: a role entry needs exactly one of {@code rolearn} and {@code
   * sso}, a user entry a {@code userarn}.
   *
   * @param entry an entry of this document
   * @return true when EKS keeps it
   */
  public static boolean isInForce(AwsAuthEntry entry) {
    if (entry.source().section() == Section.MAP_ROLES) {
      return entry.arn().isEmpty() != entry.sso().isEmpty();
    }
    return !entry.arn().isEmpty();
  }

  /**
   * The entries EKS matches callers against, one per ARN, as aws-iam-authenticator picks them: a
   * {@code mapRoles} entry beats a {@code mapUsers} entry for the same ARN whichever section the
   * ARN's kind belongs to (a role ARN under {@code mapUsers} maps the role), and among duplicates
   * in one section the last wins. {@code sso:} entries and entries without an ARN are left out;
   * each kept entry's {@link AwsAuthEntry#principal()} says whose access it is.
   *
   * <pre>{@code
   * for (AwsAuthEntry e : doc.mappingsInForce()) {
   *   System.out.println(e.principal().orElseThrow() + " -> " + e.groups());
   * }
   * }</pre>
   *
   * @return the entries, {@code mapRoles} ones first, each in file order of its last occurrence
   */
  public List<AwsAuthEntry> mappingsInForce() {
    Map<String, AwsAuthEntry> byArn = new LinkedHashMap<>();
    for (AwsAuthEntry e : roles) {
      if (isInForce(e) && !e.arn().isEmpty()) {
        String key = e.arn().toLowerCase(Locale.ROOT);
        byArn.remove(key); // the last wins, in its own place
        byArn.put(key, e);
      }
    }
    Map<String, AwsAuthEntry> users = new LinkedHashMap<>();
    for (AwsAuthEntry e : this.users) {
      String key = e.arn().toLowerCase(Locale.ROOT);
      if (isInForce(e) && !byArn.containsKey(key)) {
        users.remove(key);
        users.put(key, e);
      }
    }
    List<AwsAuthEntry> out = new ArrayList<>(byArn.values());
    out.addAll(users.values());
    return List.copyOf(out);
  }

  /**
   * The identity EKS gives the caller: role mappings first, then user mappings, then {@code
   * mapAccounts}; among duplicates the last entry wins.
   *
   * @param caller the caller
   * @return the identity, or empty when EKS would deny the caller
   */
  public Optional<MappedIdentity> resolve(Caller caller) {
    return resolve(caller, TemplateContext.empty());
  }

  /**
   * The identity EKS gives the caller, with values for the templates the ARN does not give.
   *
   * <pre>{@code
   * doc.resolve(node, TemplateContext.empty().withEc2PrivateDnsName("ip-10-0-1-7.ec2.internal"));
   * }</pre>
   *
   * @param caller the caller
   * @param context access key id and EC2 private DNS name, when known
   * @return the identity, or empty when EKS would deny the caller (no mapping, or {@code
   *     {{EC2PrivateDNSName}}} for a session that is not an instance)
   */
  public Optional<MappedIdentity> resolve(Caller caller, TemplateContext context) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(context, "context");
    Optional<AwsAuthEntry> entry = match(caller);
    if (entry.isPresent()) {
      AwsAuthEntry e = entry.get();
      Optional<String> username = render(e.username().orElse(""), caller, context);
      List<String> groups = new ArrayList<>();
      for (String g : e.groups()) {
        Optional<String> rendered = render(g, caller, context);
        if (rendered.isEmpty()) {
          return Optional.empty();
        }
        groups.add(rendered.get());
      }
      return username.map(u -> new MappedIdentity(u, groups, e.source()));
    }
    int account = accounts.indexOf(caller.accountId());
    if (account >= 0) {
      return Optional.of(
          new MappedIdentity(
              caller.canonicalArn().value(),
              List.of(),
              new MappingSource(Section.MAP_ACCOUNTS, account, account + 1)));
    }
    return Optional.empty();
  }

  private Optional<AwsAuthEntry> match(Caller caller) {
    String canonical = caller.canonicalArn().value().toLowerCase(Locale.ROOT);
    Optional<AwsAuthEntry> found = Optional.empty();
    for (AwsAuthEntry e : roles) { // keys are lower-cased, so the last of any case variant wins
      if (isInForce(e) && e.arn().toLowerCase(Locale.ROOT).equals(canonical)) {
        found = Optional.of(e);
      }
    }
    if (found.isPresent()) {
      return found;
    }
    for (AwsAuthEntry e : users) {
      if (isInForce(e) && e.arn().equalsIgnoreCase(canonical)) {
        found = Optional.of(e);
      }
    }
    return found;
  }

  /** Renders EKS's templates in EKS's order; empty when EKS would deny. */
  private static Optional<String> render(String template, Caller caller, TemplateContext context) {
    String session = caller.sessionName().orElse("");
    String out = template;
    if (out.contains("{{EC2PrivateDNSName}}")) {
      if (!INSTANCE_ID.matcher(session).matches()) {
        return Optional.empty(); // "SessionName did not contain an instance id"
      }
      if (context.ec2PrivateDnsName().isPresent()) {
        out = out.replace("{{EC2PrivateDNSName}}", context.ec2PrivateDnsName().get());
      }
    }
    out = Templates.render(out, caller); // {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}
    if (context.accessKeyId().isPresent()) {
      out = out.replace("{{AccessKeyID}}", context.accessKeyId().get());
    }
    return Optional.of(out);
  }

  /**
   * Why no entry maps the caller, when a near miss explains it: a mapping for the same role with an
   * IAM path, an STS session ARN in {@code rolearn}, the same name in another account, or an entry
   * EKS drops.
   *
   * <pre>{@code
   * if (doc.resolve(caller).isEmpty()) doc.nearMisses(caller).forEach(System.out::println);
   * }</pre>
   *
   * @param caller the caller
   * @return one sentence per near miss, with the fix; empty when the caller is mapped or nothing
   *     comes close
   */
  public List<String> nearMisses(Caller caller) {
    List<String> out = new ArrayList<>();
    if (resolve(caller).isPresent()) {
      return out;
    }
    String name = caller.principal().map(p -> p.name()).orElse("");
    for (AwsAuthEntry e : concat(roles, users)) {
      if (e.arn().isEmpty()) {
        continue;
      }
      String arn = e.arn();
      String last = arn.substring(arn.lastIndexOf('/') + 1);
      boolean sameAccount = arn.contains(":" + caller.accountId() + ":");
      if (arn.contains(":sts:") && arn.contains(":assumed-role/")) {
        String role = arn.substring(arn.indexOf(":assumed-role/") + 14);
        if (role.contains("/") && role.substring(0, role.indexOf('/')).equalsIgnoreCase(name)) {
          out.add(
              e.source()
                  + " names the STS session ARN "
                  + arn
                  + "; EKS compares against the role, so it never matches. Write "
                  + caller.canonicalArn()
                  + ".");
        }
      } else if (!name.isEmpty()
          && last.equalsIgnoreCase(name)
          && sameAccount
          && arn.contains(":role/")) {
        try {
          IamRole role = IamRole.of(arn);
          if (!role.path().equals("/")) {
            out.add(
                e.source()
                    + " names the role with its path "
                    + role.path()
                    + "; STS never reports the path, so this never matches. Write "
                    + role.withoutPath()
                    + ".");
          }
        } catch (RuntimeException notAnArn) {
          out.add(e.source() + " names " + arn + ", which is not a valid role ARN.");
        }
      } else if (!name.isEmpty() && last.equalsIgnoreCase(name) && !sameAccount) {
        out.add(
            e.source()
                + " maps "
                + arn
                + ", the same name in another account; the caller is in "
                + caller.accountId()
                + ".");
      }
    }
    for (AwsAuthEntry e : roles) {
      if (e.sso().isPresent() && name.startsWith("AWSReservedSSO_")) {
        out.add(
            e.source()
                + " is an sso: entry; EKS matches those only with the authenticator's SSORoleMatch"
                + " feature, so map the role ARN itself.");
      }
    }
    for (SectionError err : errors) {
      if (err.lostArns().stream()
          .anyMatch(a -> a.equalsIgnoreCase(caller.canonicalArn().value()))) {
        out.add("the mapping is in " + err.section() + ", which EKS drops whole: " + err);
      }
    }
    return out;
  }

  private static List<AwsAuthEntry> concat(List<AwsAuthEntry> a, List<AwsAuthEntry> b) {
    List<AwsAuthEntry> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public String toString() {
    return "AwsAuthDocument["
        + roles.size()
        + " mapRoles, "
        + users.size()
        + " mapUsers, "
        + accounts.size()
        + " mapAccounts, "
        + errors.size()
        + " section errors]";
  }
}
