package dev.eksaccess.api;

import dev.eksaccess.api.internal.CatalogueReader;
import dev.eksaccess.api.spi.PolicyRule;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS-managed EKS access policies eks-access knows, as of {@link #asOf()}, catalogue {@link
 * #version()}: each policy's name, ARN and, where the EKS user guide page "Review access policy
 * permissions" lists them, its Kubernetes rules, with the page and the date it was read. Explain,
 * who-can, audit and escalation checks read the rules from here (one source of truth). A policy
 * whose rules AWS does not publish is in the catalogue with {@link Entry#rules()} empty: what it
 * allows cannot be decided offline, and eks-access says so instead of treating it as deny-all.
 *
 * <p>The catalogue is also the fallback when a cluster's region cannot be asked ({@code
 * ListAccessPolicies} denied or unavailable), and the source of "did you mean" for a misspelled
 * policy. AWS adds policies over time, so the live list always wins; a name missing here is not
 * wrong, only unknown.
 *
 * <pre>{@code
 * AccessPolicyCatalogue.contains(AccessPolicy.VIEW);          // true
 * AccessPolicyCatalogue.nearest("AmazonEKSViewPolicyy");      // Optional[AmazonEKSViewPolicy]
 * AccessPolicyCatalogue.version();                            // "2026.12.07"
 * AccessPolicyCatalogue.rulesOf(AccessPolicy.VIEW);           // Optional[[get,list,watch ...]]
 * AccessPolicyCatalogue.rulesOf(AccessPolicy.named("AmazonEKSArgoCDPolicy")); // Optional.empty
 * }</pre>
 */
public final class AccessPolicyCatalogue {
  /** The built-in catalogue's resource, next to this class. */
  static final String RESOURCE = "access-policy-catalogue.json";

  private static final CatalogueReader.Catalogue BUILT_IN = load();

  private AccessPolicyCatalogue() {}

  /**
   * One AWS-managed access policy as the catalogue records it.
   *
   * <pre>{@code
   * AccessPolicyCatalogue.Entry e = AccessPolicyCatalogue.entry(AccessPolicy.VIEW).orElseThrow();
   * e.arn();        // arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
   * e.rules();      // Optional[[...]]: what AWS documents
   * e.checkedOn();  // when the source was read
   * }</pre>
   *
   * @param policy the policy
   * @param arn its ARN in the {@code aws} partition ({@link AccessPolicy#arn(String)} gives others)
   * @param description what AWS says it is for, briefly
   * @param rules the Kubernetes rules AWS documents for it; empty when AWS publishes none, so that
   *     what it allows is unknown (never read that as "allows nothing")
   * @param source where the facts come from
   * @param checkedOn when the source was read
   */
  public record Entry(
      AccessPolicy policy,
      String arn,
      String description,
      Optional<List<PolicyRule>> rules,
      String source,
      LocalDate checkedOn) {
    /**
     * Checks the values and that the ARN names the policy.
     *
     * @throws InvalidInputException ({@link ErrorCode#INVALID_ARN}) if {@code arn} is not the
     *     policy's ARN
     */
    public Entry {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(checkedOn, "checkedOn");
      rules = Objects.requireNonNull(rules, "rules").map(List::copyOf);
      if (!AccessPolicy.fromArn(arn).equals(policy)) {
        throw InvalidInputException.of(
            ErrorCode.INVALID_ARN,
            "arn",
            arn,
            "names another policy than " + policy.name() + "; give the policy's own ARN.");
      }
    }

    /**
     * Whether AWS documents this policy's rules.
     *
     * @return true if {@link #rules()} is present
     */
    public boolean rulesKnown() {
      return rules.isPresent();
    }
  }

  /**
   * The catalogue's version: it changes whenever a policy or rule in it changes.
   *
   * @return the version, such as {@code 2026.12.07}
   */
  public static String version() {
    return BUILT_IN.version();
  }

  /**
   * When the catalogue was last checked against AWS's documentation and {@code ListAccessPolicies}
   * output.
   *
   * @return the date
   */
  public static LocalDate asOf() {
    return BUILT_IN.checkedOn();
  }

  /**
   * Every policy in the catalogue, by name.
   *
   * @return the policies, sorted by name
   */
  public static Set<AccessPolicy> all() {
    Set<AccessPolicy> out = new LinkedHashSet<>();
    BUILT_IN.entries().keySet().forEach(n -> out.add(AccessPolicy.named(n)));
    return Collections.unmodifiableSet(out);
  }

  /**
   * Every entry of the catalogue.
   *
   * @return the entries, sorted by policy name
   */
  public static List<Entry> entries() {
    return List.copyOf(BUILT_IN.entries().values());
  }

  /**
   * The catalogue's entry for a policy.
   *
   * @param policy the policy
   * @return its entry, or empty if the catalogue does not know the policy
   */
  public static Optional<Entry> entry(AccessPolicy policy) {
    return Optional.ofNullable(BUILT_IN.entries().get(policy.name()));
  }

  /**
   * The Kubernetes rules AWS documents for a policy.
   *
   * @param policy the policy
   * @return the rules; empty if the catalogue does not know the policy or AWS publishes no rules
   *     for it: either way, what it allows cannot be decided offline
   */
  public static Optional<List<PolicyRule>> rulesOf(AccessPolicy policy) {
    return entry(policy).flatMap(Entry::rules);
  }

  /**
   * Whether the catalogue names this policy.
   *
   * @param policy the policy
   * @return true if known
   */
  public static boolean contains(AccessPolicy policy) {
    return BUILT_IN.entries().containsKey(policy.name());
  }

  /**
   * The known policy whose name is closest to {@code name} (ignoring case), if it is close enough
   * to be a typo of it: at most two edits, or three for long names.
   *
   * @param name a policy name that may be misspelled
   * @return the likely intended policy
   */
  public static Optional<AccessPolicy> nearest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String n : BUILT_IN.entries().keySet()) {
      int d = dev.eksaccess.api.support.Texts.editDistance(n, name);
      if (d < bestDistance) {
        best = n;
        bestDistance = d;
      }
    }
    int limit = name.length() > 20 ? 3 : 2;
    return best == null || bestDistance == 0 || bestDistance > limit
        ? Optional.empty()
        : Optional.of(AccessPolicy.named(best));
  }

  private static CatalogueReader.Catalogue load() {
    try (InputStream in = AccessPolicyCatalogue.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from the eks-access jar; the build is broken.");
      }
      return CatalogueReader.read(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
