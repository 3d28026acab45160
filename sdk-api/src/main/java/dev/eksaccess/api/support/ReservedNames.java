package dev.eksaccess.api.support;

import dev.eksaccess.api.BreakGlass;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.InvalidInputException.Problem;
import dev.eksaccess.api.Subject;
import dev.eksaccess.api.spi.IdentityMapping;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The names Kubernetes and EKS keep for themselves, and whether a username or group, once EKS has
 * rendered its placeholders, can be one of them. One set of rules for the grant chain, the aws-auth
 * backend's writes and the testkit's aws-auth fake, so that none is looser than another.
 *
 * <p>A grant never names a reserved username or group. An aws-auth write may hold them only where
 * aws-auth needs them: node-role mappings (username {@code system:node:{{EC2PrivateDNSName}}} or
 * {@code system:node:{{SessionName}}}, groups {@code system:bootstrappers}, {@code system:nodes},
 * {@code system:node-proxier}, {@code eks:kube-proxy-windows}) and the break-glass mapping ({@link
 * BreakGlass#AWS_AUTH_USERNAME} in {@code system:masters}, carrying its record); a name an entry
 * already holds may stay.
 *
 * <p>Whether a template can reach a reserved prefix is decided over what each placeholder can
 * render to, not by looking for the prefix: {@code {{SessionName}}:masters} becomes {@code
 * system:masters} for a session named {@code system}.
 */
@BackendSupport
public final class ReservedNames {
  /**
   * Prefixes Kubernetes ({@code system:}) and EKS keep for their own users and groups: EKS refuses
   * them in access entries, aws-iam-authenticator can refuse them ({@code ReservedPrefixConfig}).
   */
  public static final List<String> PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");

  /** The group that bypasses RBAC: aws-auth holds it only for break-glass. */
  public static final String SYSTEM_MASTERS = "system:masters";

  /** Usernames of node-role mappings: EC2 nodes, and Fargate or hybrid nodes. */
  public static final Set<String> NODE_USERNAMES =
      Set.of("system:node:{{EC2PrivateDNSName}}", "system:node:{{SessionName}}");

  /** Groups of node-role mappings: Linux, Windows ({@code eks:kube-proxy-windows}) and Fargate. */
  public static final Set<String> NODE_GROUPS =
      Set.of(
          "system:bootstrappers", "system:nodes", "system:node-proxier", "eks:kube-proxy-windows");

  /**
   * What EKS can put in place of each placeholder: the characters of the value and its length. No
   * value holds a colon or a brace, so a reserved prefix needs a colon written in the template, and
   * rendering never forms a new placeholder that could.
   */
  private enum Placeholder {
    ACCOUNT_ID("AccountID", "0123456789", 12, 12),
    // STS session names are [\w+=,.@-]{2,64}; EKS writes "@" as "-"; users have none (empty)
    SESSION_NAME("SessionName", WORD + "+=,.-", 0, 64),
    SESSION_NAME_RAW("SessionNameRaw", WORD + "+=,.@-", 0, 64),
    ACCESS_KEY_ID("AccessKeyID", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16, 128),
    // ip-10-0-0-1.ec2.internal, i-0abc....us-west-2.compute.internal
    EC2_PRIVATE_DNS_NAME(
        "EC2PrivateDNSName",
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-",
        1,
        253);

    final String text;
    final String chars;
    final int min;
    final int max;

    Placeholder(String name, String chars, int min, int max) {
      this.text = "{{" + name + "}}";
      this.chars = chars;
      this.min = min;
      this.max = max;
    }
  }

  private static final String WORD =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

  private ReservedNames() {}

  /**
   * Whether the name, once EKS renders its placeholders, can start with a reserved prefix.
   *
   * @param template a username or group, placeholders included
   * @return how: the prefix and the placeholder values that reach it; empty when none can
   */
  public static Optional<Reach> reach(String template) {
    List<Object> tokens = tokenize(template);
    for (String prefix : PREFIXES) {
      Optional<Map<String, String>> witness = witness(tokens, prefix);
      if (witness.isPresent()) {
        return Optional.of(new Reach(template, prefix, witness.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * How a name reaches a reserved prefix.
   *
   * @param template the name as written
   * @param prefix the reserved prefix
   * @param values the start of each placeholder's value that makes it so (empty when the name
   *     starts with the prefix as written, or once an empty placeholder is left out)
   */
  public record Reach(String template, String prefix, Map<String, String> values) {
    /** Copies the values. */
    public Reach {
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Says how, for messages: "starts with system:" or "becomes system:… once EKS renders it …".
     *
     * @return the sentence fragment
     */
    public String describe() {
      if (template.startsWith(prefix)) {
        return "starts with " + prefix;
      }
      if (values.isEmpty()) {
        return "becomes "
            + prefix
            + "… once EKS renders it with an empty placeholder (an IAM user has no session"
            + " name)";
      }
      List<String> parts = new ArrayList<>();
      values.forEach((p, v) -> parts.add(p + " starts with " + Texts.quote(v)));
      return "becomes "
          + prefix
          + "… once EKS renders it when "
          + String.join(" and ", parts)
          + (values.containsKey(Placeholder.SESSION_NAME.text)
                  || values.containsKey(Placeholder.SESSION_NAME_RAW.text)
              ? " (whoever assumes the role chooses the session name)"
              : "");
    }
  }

  /**
   * Literal characters (as Character) and known placeholders; unknown ones stay text, as in EKS.
   */
  private static List<Object> tokenize(String template) {
    List<Object> tokens = new ArrayList<>();
    int i = 0;
    outer:
    while (i < template.length()) {
      if (template.startsWith("{{", i)) {
        for (Placeholder p : Placeholder.values()) {
          if (template.startsWith(p.text, i)) {
            tokens.add(p);
            i += p.text.length();
            continue outer;
          }
        }
      }
      tokens.add(template.charAt(i));
      i++;
    }
    return tokens;
  }

  /** A state of the automaton: the token being matched and how many characters it has given. */
  private record State(int token, int used) {}

  /** How a state was reached: from which state, giving which character (or none). */
  private record Step(@Nullable State from, int layer, char given, boolean gave) {}

  /**
   * Runs the template's automaton over {@code prefix}: each literal matches itself, each
   * placeholder any of its characters between its minimum and maximum length. Iterative, so a
   * template of any length cannot exhaust the stack.
   */
  private static Optional<Map<String, String>> witness(List<Object> tokens, String prefix) {
    List<Map<State, Step>> layers = new ArrayList<>();
    Map<State, Step> current = new HashMap<>();
    current.put(new State(0, 0), new Step(null, -1, ' ', false));
    closure(tokens, current);
    layers.add(current);
    for (int p = 0; p < prefix.length(); p++) {
      char c = prefix.charAt(p);
      Map<State, Step> next = new HashMap<>();
      for (State s : current.keySet()) {
        if (s.token() >= tokens.size()) {
          continue;
        }
        Object t = tokens.get(s.token());
        if (t instanceof Character literal) {
          if (literal == c) {
            next.putIfAbsent(new State(s.token() + 1, 0), new Step(s, p, c, true));
          }
        } else {
          Placeholder ph = (Placeholder) t;
          if (s.used() < ph.max && ph.chars.indexOf(c) >= 0) {
            next.putIfAbsent(new State(s.token(), s.used() + 1), new Step(s, p, c, true));
          }
        }
      }
      if (next.isEmpty()) {
        return Optional.empty();
      }
      closure(tokens, next);
      layers.add(next);
      current = next;
    }
    // any surviving state can be completed: placeholders reach their minimum, literals are there
    State end = current.keySet().iterator().next();
    return Optional.of(valuesAlong(tokens, layers, end));
  }

  /**
   * Adds the states reachable without giving a character: leaving a placeholder that is long
   * enough.
   */
  private static void closure(List<Object> tokens, Map<State, Step> states) {
    Deque<State> todo = new ArrayDeque<>(states.keySet());
    while (!todo.isEmpty()) {
      State s = todo.pop();
      if (s.token() < tokens.size()
          && tokens.get(s.token()) instanceof Placeholder ph
          && s.used() >= ph.min) {
        State after = new State(s.token() + 1, 0);
        if (!states.containsKey(after)) {
          states.put(after, new Step(s, -1, ' ', false));
          todo.push(after);
        }
      }
    }
  }

  /** The characters each placeholder gave on the way to {@code end}. */
  private static Map<String, String> valuesAlong(
      List<Object> tokens, List<Map<State, Step>> layers, State end) {
    Deque<String> reversed = new ArrayDeque<>();
    Deque<Placeholder> owners = new ArrayDeque<>();
    int layer = layers.size() - 1;
    State s = end;
    while (true) {
      Step step = layers.get(layer).get(s);
      if (step == null || step.from() == null) {
        break;
      }
      if (step.gave()) {
        if (tokens.get(step.from().token()) instanceof Placeholder ph) {
          reversed.push(String.valueOf(step.given()));
          owners.push(ph);
        }
        layer--;
      }
      s = step.from();
    }
    Map<String, String> values = new LinkedHashMap<>();
    while (!owners.isEmpty()) {
      values.merge(owners.pop().text, reversed.pop(), String::concat);
    }
    return values;
  }

  /**
   * Refuses a grant's subject if its username or a group can become a reserved name: a grant maps
   * people and services, never Kubernetes' or EKS's own identities.
   *
   * @param subject the subject, already checked character by character
   * @throws InvalidInputException ({@link ErrorCode#SYSTEM_MASTERS_GRANT} for {@code
   *     system:masters}, else {@link ErrorCode#INVALID_USERNAME} or {@link
   *     ErrorCode#INVALID_GROUP}) naming every such name
   */
  public static void requireGrantable(Subject subject) {
    if (subject.groups().contains(SYSTEM_MASTERS)) {
      throw InvalidInputException.of(
          ErrorCode.SYSTEM_MASTERS_GRANT,
          "groups[" + subject.groups().indexOf(SYSTEM_MASTERS) + "]",
          SYSTEM_MASTERS,
          "is granted only by break-glass, which expires: its members bypass RBAC and no RBAC"
              + " change can take it back. Bind ClusterRole.CLUSTER_ADMIN clusterWide() for"
              + " lasting admin access, or use ClusterAccess.breakGlass(role).forDuration(..)"
              + ".because(..) in an emergency.");
    }
    List<Problem> problems = new ArrayList<>();
    subject
        .username()
        .ifPresent(
            u ->
                reach(u)
                    .ifPresent(
                        r ->
                            problems.add(
                                new Problem(
                                    "username",
                                    u,
                                    r.describe()
                                        + ", a username Kubernetes or EKS keeps for its own"
                                        + " components, so a grant never maps to it. Start the"
                                        + " username with a name of your own, such as"
                                        + " \"acme:{{SessionName}}\"."))));
    for (int i = 0; i < subject.groups().size(); i++) {
      String g = subject.groups().get(i);
      Optional<Reach> r = reach(g);
      if (r.isPresent()) {
        problems.add(
            new Problem(
                "groups[" + i + "]",
                g,
                r.get().describe()
                    + ", a group Kubernetes or EKS keeps for its own identities, so a grant never"
                    + " maps to it. Use a group of your own, such as acme:viewers; for cluster"
                    + " admins bind ClusterRole.CLUSTER_ADMIN clusterWide() (or"
                    + " AccessPolicy.CLUSTER_ADMIN on Access Entries). Node roles are mapped with"
                    + " an IdentityMapping on the backend, not with a grant."));
      }
    }
    if (!problems.isEmpty()) {
      throw exception(problems);
    }
  }

  /**
   * What aws-auth must not hold in a mapping written by eks-access: a username or group that can
   * become reserved, unless the mapping is a node role's or the break-glass one, or the entry
   * already held that name (an existing mapping is the cluster owner's; a write never adds one).
   *
   * @param put the mapping to write
   * @param existing the mapping in force for the same principal, or null
   * @param where the location prefix for problems, such as {@code "mapRoles role/Dev"}
   * @return every problem; empty when the write may proceed
   */
  public static List<Problem> awsAuthProblems(
      IdentityMapping put, @Nullable IdentityMapping existing, String where) {
    return existing == null
        ? awsAuthProblems(put, Optional.empty(), List.of(), where)
        : awsAuthProblems(put, existing.username(), existing.groups(), where);
  }

  /**
   * As {@link #awsAuthProblems(IdentityMapping, IdentityMapping, String)}, with the entry in force
   * given as its text (it may hold names eks-access would not write).
   *
   * @param put the mapping to write
   * @param existingUsername the username the entry in force has, if any
   * @param existingGroups the groups it has (empty when there is no entry)
   * @param where the location prefix for problems
   * @return every problem; empty when the write may proceed
   */
  public static List<Problem> awsAuthProblems(
      IdentityMapping put,
      Optional<String> existingUsername,
      List<String> existingGroups,
      String where) {
    List<Problem> problems = new ArrayList<>();
    Optional<String> username = put.username();
    boolean nodeRole = username.filter(NODE_USERNAMES::contains).isPresent();
    boolean breakGlass =
        put.breakGlass().isPresent()
            && username.filter(BreakGlass.AWS_AUTH_USERNAME::equals).isPresent()
            && put.groups().equals(List.of(SYSTEM_MASTERS));
    if (username.isPresent() && !nodeRole && !existingUsername.equals(username)) {
      String u = username.get();
      reach(u)
          .ifPresent(
              r ->
                  problems.add(
                      new Problem(
                          where + " username",
                          u,
                          r.describe()
                              + ", a username Kubernetes or EKS keeps for its own components."
                              + " aws-auth maps one only for node roles ("
                              + String.join(" or ", NODE_USERNAMES.stream().sorted().toList())
                              + "). Choose a username of your own.")));
    }
    for (int i = 0; i < put.groups().size(); i++) {
      String g = put.groups().get(i);
      if (existingGroups.contains(g)
          || (nodeRole && NODE_GROUPS.contains(g))
          || (breakGlass && g.equals(SYSTEM_MASTERS))) {
        continue;
      }
      Optional<Reach> r = reach(g);
      if (r.isEmpty()) {
        continue;
      }
      String why;
      if (g.equals(SYSTEM_MASTERS)) {
        why =
            " aws-auth holds it only in the break-glass mapping that"
                + " ClusterAccess.breakGlass(role) writes, which expires; bind"
                + " ClusterRole.CLUSTER_ADMIN for lasting admin access.";
      } else if (NODE_GROUPS.contains(g)) {
        why =
            " aws-auth holds it only in a node role's mapping, whose username is "
                + String.join(" or ", NODE_USERNAMES.stream().sorted().toList())
                + ".";
      } else {
        why =
            " aws-auth holds such groups only for node roles and break-glass; use a group of"
                + " your own.";
      }
      problems.add(
          new Problem(
              where + " groups[" + i + "]",
              g,
              r.get().describe() + ", a group Kubernetes or EKS keeps for itself." + why));
    }
    return problems;
  }

  /**
   * The exception for these problems, coded by the first: username or group.
   *
   * @param problems at least one problem
   * @return the exception, to throw
   */
  public static InvalidInputException exception(List<Problem> problems) {
    ErrorCode code =
        problems.get(0).location().endsWith("username")
            ? ErrorCode.INVALID_USERNAME
            : ErrorCode.INVALID_GROUP;
    return new InvalidInputException(code, problems);
  }
}
