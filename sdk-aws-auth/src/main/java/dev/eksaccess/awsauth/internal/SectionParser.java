package dev.eksaccess.awsauth.internal;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.support.Names;
import dev.eksaccess.api.support.ReservedNames;
import dev.eksaccess.api.support.Texts;
import dev.eksaccess.awsauth.AwsAuthEntry;
import dev.eksaccess.awsauth.Finding;
import dev.eksaccess.awsauth.MappingSource;
import dev.eksaccess.awsauth.Section;
import dev.eksaccess.awsauth.SectionError;
import dev.eksaccess.awsauth.SsoMatcher;
import dev.eksaccess.kubernetes.support.YamlLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentEndEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Reads one aws-auth section as aws-iam-authenticator does: YAML to JSON, then Go's {@code
 * encoding/json} into its structs. So a section that is not YAML or not a list is dropped whole; a
 * field of the wrong type reads as empty and the entry stays; entry keys match case-insensitively,
 * the later of two spellings winning; unknown keys are ignored.
 */
public final class SectionParser {
  /** Plain scalars that go-yaml (YAML 1.1) reads as something other than text. */
  private static final Pattern NOT_TEXT =
      Pattern.compile(
          "~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
              + "|on|On|ON|off|Off|OFF"
              // strconv.ParseInt(s, 0, 64) after go-yaml drops the underscores: any sign, and
              // the 0b, 0o, 0x prefixes in either case
              + "|[-+]?(0|[1-9][0-9_]*)|[-+]?0[bB][01_]+|[-+]?0[oO][0-7_]+|[-+]?0[0-7_]+"
              + "|[-+]?0[xX][0-9a-fA-F_]+"
              + "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private static final Pattern ARN_IN_TEXT =
      Pattern.compile("(?i)(?:rolearn|userarn)\\s*[:=]\\s*[\"']?(arn:[^\"'\\s,}]+)");

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  /**
   * Where one item of a section's list is in its text (code point indexes, as the parser counts),
   * and what it shares with other items through anchors.
   *
   * @param start where its first token starts (an anchor or tag included; its dash not)
   * @param contentEnd just past its last token: trailing comments and blank lines that a block
   *     scalar does not keep are not part of it
   * @param endsWithBlockScalar whether that last token is a literal or folded block scalar, whose
   *     value a line break after it would change
   * @param anchors the anchors it defines, with where
   * @param aliases the aliases it uses
   */
  public record Item(
      int start,
      int contentEnd,
      boolean endsWithBlockScalar,
      Map<String, Mark> anchors,
      List<AliasUse> aliases) {
    public Item {
      anchors = Collections.unmodifiableMap(new LinkedHashMap<>(anchors));
      aliases = List.copyOf(aliases);
    }
  }

  /**
   * An alias an item uses, and which item defines the anchor it refers to (-1 when none does).
   *
   * @param name the anchor's name
   * @param definedIn the index of the item that defines it, or -1
   */
  public record AliasUse(String name, int definedIn) {}

  /**
   * A section that is a list: its node and where each of its items is in the text.
   *
   * @param root the list
   * @param items where each item is
   * @param local whether each item reads the same wherever it stands in the list: a block list with
   *     no anchor, alias, tag, block scalar or document marker anywhere, so an edit that replaces,
   *     removes or adds whole items at the list's column changes no other item
   */
  public record Tree(SequenceNode root, List<Item> items, boolean local) {
    public Tree {
      items = List.copyOf(items);
    }
  }

  /** What a section held: its entries (or accounts), the error that dropped it, and findings. */
  public record Result(
      List<AwsAuthEntry> entries,
      List<String> accounts,
      Optional<SectionError> error,
      List<Finding> findings,
      Optional<Tree> tree) {
    public Result {
      entries = List.copyOf(entries);
      accounts = List.copyOf(accounts);
      findings = List.copyOf(findings);
    }

    /** A section that is not there or is skipped. */
    public static Result empty() {
      return new Result(List.of(), List.of(), Optional.empty(), List.of(), Optional.empty());
    }
  }

  private SectionParser() {}

  /** Whether EKS skips the section without error: blank, {@code ``}, {@code ""} or {@code ''}. */
  public static boolean isSkippable(String text) {
    String t = text.strip();
    return t.isEmpty() || t.equals("``") || t.equals("\"\"") || t.equals("''");
  }

  /**
   * Parses a section's text as EKS reads it. Its YAML 1.1 reader breaks lines at U+0085, U+2028 and
   * U+2029, where YAML 1.2 (snakeyaml-engine) sees ordinary characters, so the text is read with
   * those as line breaks: one character for one, so every position is the same in both. Line
   * numbers then count lines as EKS does.
   */
  public static Result parse(Section section, String text) {
    if (isSkippable(text)) {
      return Result.empty();
    }
    String yaml11 = yaml11(text);
    List<Finding> separators = separatorFindings(section, text);
    Node root;
    ItemTracker tracker;
    try {
      // The composer, not api.lowlevel.Compose: the module descriptor does not export the latter.
      LoadSettings settings = YamlLimits.settings(section.key(), yaml11);
      tracker = new ItemTracker(YamlLimits.parser(settings, yaml11));
      Optional<Node> composed = new Composer(settings, tracker).getSingleNode();
      if (composed.isEmpty()) {
        return withFindings(Result.empty(), separators);
      }
      root = composed.get();
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      return withFindings(
          dropped(
              section,
              text,
              mark.map(m -> m.getLine() + 1).orElse(1),
              mark.map(m -> m.getColumn() + 1).orElse(1),
              "not valid YAML" + asEksReadsIt(separators) + ": " + e.getProblem()),
          separators);
    } catch (YamlEngineException e) {
      return withFindings(
          dropped(
              section,
              text,
              1,
              1,
              "not valid YAML" + asEksReadsIt(separators) + ": " + e.getMessage()),
          separators);
    }
    if (root instanceof ScalarNode scalar && isNull(scalar)) {
      // "mapRoles: null" is JSON null to EKS, which reads it as no entries, without error
      return withFindings(Result.empty(), separators);
    }
    if (!(root instanceof SequenceNode list)) {
      return withFindings(
          dropped(
              section,
              text,
              root,
              "is "
                  + kindOf(root)
                  + ", not a list of entries (each starting with \"- \")"
                  + asEksReadsIt(separators)),
          separators);
    }
    Tree tree = new Tree(list, tracker.items(), tracker.local());
    if (section == Section.MAP_ACCOUNTS) {
      return withFindings(accounts(section, text, list, tree), separators);
    }
    List<AwsAuthEntry> entries = new ArrayList<>();
    List<Finding> findings = new ArrayList<>(separators);
    List<Node> items = list.getValue();
    for (int i = 0; i < items.size(); i++) {
      entries.add(entry(section, i, items.get(i), findings));
    }
    return new Result(entries, List.of(), Optional.empty(), findings, Optional.of(tree));
  }

  /** The text as EKS's YAML 1.1 reader splits it into lines; the same text when nothing differs. */
  static String yaml11(String text) {
    if (text.indexOf('\u0085') < 0 && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0) {
      return text;
    }
    return text.replace('\u0085', '\n').replace('\u2028', '\n').replace('\u2029', '\n');
  }

  /** A NULL, LINE or PARAGRAPH SEPARATOR's finding, where EKS counts it: at most twenty. */
  private static List<Finding> separatorFindings(Section section, String text) {
    List<Finding> out = new ArrayList<>();
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length() && out.size() < 20; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
        out.add(
            new Finding(
                Finding.Code.LINE_SEPARATOR,
                Finding.Severity.ERROR,
                section,
                line,
                column,
                Names.codePoint(cp)
                    + (cp == 0x85
                        ? " (NEXT LINE)"
                        : cp == 0x2028 ? " (LINE SEPARATOR)" : " (PARAGRAPH SEPARATOR)")
                    + ": EKS's YAML 1.1 reader breaks the line here, while YAML 1.2 tools and most"
                    + " editors show one line, so the entries around it are not what they look"
                    + " like. eks-access reads them as EKS does (and counts lines as EKS does)."
                    + " Replace it with a line break, or remove it."));
      }
      boolean lf = cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
      boolean cr = cp == '\r' && (i >= text.length() || text.charAt(i) != '\n');
      if (lf || cr) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return out;
  }

  private static String asEksReadsIt(List<Finding> separators) {
    if (separators.isEmpty()) {
      return "";
    }
    Finding first = separators.get(0);
    return " as EKS reads it (its YAML 1.1 reader breaks lines at "
        + first.message().substring(0, first.message().indexOf(':'))
        + " on line "
        + first.line()
        + " column "
        + first.column()
        + (separators.size() > 1 ? " and elsewhere" : "")
        + ")";
  }

  private static Result withFindings(Result r, List<Finding> more) {
    if (more.isEmpty()) {
      return r;
    }
    List<Finding> all = new ArrayList<>(more);
    all.addAll(r.findings());
    return new Result(r.entries(), r.accounts(), r.error(), all, r.tree());
  }

  /** A plain or tagged null, which EKS's reader turns into JSON null: no entries, no error. */
  private static boolean isNull(ScalarNode scalar) {
    if (scalar.getTag().equals(Tag.NULL)) {
      return true;
    }
    return scalar.getScalarStyle() == ScalarStyle.PLAIN
        && List.of("", "~", "null", "Null", "NULL").contains(scalar.getValue());
  }

  private static Result accounts(Section section, String text, SequenceNode list, Tree tree) {
    List<String> accounts = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (Node item : list.getValue()) {
      if (!(item instanceof ScalarNode scalar)) {
        return dropped(
            section,
            text,
            item,
            "holds "
                + kindOf(item)
                + " where an account id belongs; write \"- \\\"111122223333\\\"\"");
      }
      accounts.add(scalar.getValue()); // yaml.v2 keeps any scalar as its literal text
      if (!ACCOUNT_ID.matcher(scalar.getValue()).matches()) {
        findings.add(
            finding(
                Finding.Code.ACCOUNT_NOT_AN_ID,
                Finding.Severity.ERROR,
                section,
                item,
                Texts.quote(scalar.getValue())
                    + " is not a 12-digit account id, so it matches no caller; write it as"
                    + " \"111122223333\" (quoted, leading zeros kept)."));
      }
    }
    return new Result(List.of(), accounts, Optional.empty(), findings, Optional.of(tree));
  }

  private static AwsAuthEntry entry(Section section, int index, Node item, List<Finding> findings) {
    MappingSource source = new MappingSource(section, index, line(item));
    String arn = "";
    @Nullable String username = null;
    List<String> groups = List.of();
    @Nullable SsoMatcher sso = null;
    String arnKey = section == Section.MAP_ROLES ? "rolearn" : "userarn";
    if (!(item instanceof MappingNode map)) {
      findings.add(
          finding(
              Finding.Code.WRONG_TYPE,
              Finding.Severity.ERROR,
              section,
              item,
              source
                  + " is "
                  + kindOf(item)
                  + ", not an entry with "
                  + arnKey
                  + ": EKS drops it."));
      return new AwsAuthEntry(source, arn, Optional.empty(), groups, Optional.empty());
    }
    @Nullable Node arnNode = null;
    @Nullable Node usernameNode = null;
    @Nullable Node groupsNode = null;
    for (NodeTuple t : map.getValue()) {
      String written = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
      String key = lowerCase(written);
      Node value = t.getValueNode();
      if (key.equals(arnKey)) {
        arnNode = value;
        arn = text(value).orElse("");
      } else if (key.equals("username")) {
        usernameNode = value;
        username = text(value).orElse(null);
      } else if (key.equals("groups")) {
        groupsNode = value;
        groups = texts(value);
      } else if (key.equals("sso") && section == Section.MAP_ROLES) {
        sso = sso(value);
      } else if (!key.equals("userid")) {
        findings.add(
            finding(
                Finding.Code.UNKNOWN_KEY,
                Finding.Severity.WARNING,
                section,
                t.getKeyNode(),
                source
                    + ": EKS ignores the key "
                    + Texts.quote(written)
                    + suggestion(key, section)
                    + "."));
      }
    }
    lintArn(section, source, arnKey, arnNode, arn, sso != null, findings);
    lintUsername(section, source, item, usernameNode, username, groups, findings);
    lintGroups(section, source, groupsNode, groups, findings);
    return new AwsAuthEntry(
        source, arn, Optional.ofNullable(username), groups, Optional.ofNullable(sso));
  }

  private static String suggestion(String key, Section section) {
    String squashed = key.replaceAll("[^a-z]", "");
    List<String> known =
        section == Section.MAP_ROLES
            ? List.of("rolearn", "username", "groups", "sso")
            : List.of("userarn", "username", "groups");
    for (String k : known) {
      if (squashed.equals(k)
          || (squashed.length() > 3 && (k.startsWith(squashed) || squashed.startsWith(k)))) {
        return "; did you mean " + k + "?";
      }
    }
    return "";
  }

  private static void lintArn(
      Section section,
      MappingSource source,
      String arnKey,
      @Nullable Node node,
      String arn,
      boolean hasSso,
      List<Finding> findings) {
    if (node == null) {
      if (!hasSso) {
        findings.add(
            new Finding(
                Finding.Code.MISSING_ARN,
                Finding.Severity.ERROR,
                section,
                source.line(),
                1,
                source + " has no " + arnKey + ": EKS drops the entry. Add the principal's ARN."));
      }
      return;
    }
    if (hasSso) {
      findings.add(
          finding(
              Finding.Code.MISSING_ARN,
              Finding.Severity.ERROR,
              section,
              node,
              source + " has both rolearn and sso: EKS drops the entry. Keep one."));
      return;
    }
    if (arn.isEmpty()) {
      findings.add(
          finding(
              Finding.Code.WRONG_TYPE,
              Finding.Severity.ERROR,
              section,
              node,
              source
                  + " "
                  + arnKey
                  + " is not text, so EKS drops the entry. Write the ARN as text."));
      return;
    }
    if (whitespace(section, source, arnKey, node, arn, "so it never matches", findings)) {
      return;
    }
    Optional<String> placeholder = placeholderIn(arn);
    if (placeholder.isPresent()) {
      findings.add(
          finding(
              Finding.Code.PLACEHOLDER_ARN,
              Finding.Severity.ERROR,
              section,
              node,
              source
                  + " "
                  + arnKey
                  + " "
                  + Texts.quote(arn)
                  + " "
                  + placeholder.get()
                  + ", so it matches no caller. Write the real ARN (aws sts"
                  + " get-caller-identity shows the caller's)."));
      return;
    }
    boolean roleArn = arn.contains(":iam:") && arn.contains(":role/");
    boolean userArn = arn.contains(":iam:") && arn.contains(":user/");
    if ((section == Section.MAP_USERS && roleArn) || (section == Section.MAP_ROLES && userArn)) {
      findings.add(
          finding(
              Finding.Code.MISPLACED_ARN,
              Finding.Severity.WARNING,
              section,
              node,
              source
                  + " "
                  + arnKey
                  + " is a "
                  + (roleArn ? "role" : "user")
                  + " ARN under "
                  + section.key()
                  + ". EKS matches callers against both sections, so it maps the "
                  + (roleArn ? "role" : "user")
                  + ", but tools that read "
                  + (roleArn ? "roles from mapRoles" : "users from mapUsers")
                  + " miss it. Move it to "
                  + (roleArn ? "mapRoles as rolearn" : "mapUsers as userarn")
                  + "."));
    }
    if (section != Section.MAP_ROLES) {
      if (arn.contains(":sts:") && arn.contains(":assumed-role/")) {
        findings.add(
            finding(
                Finding.Code.STS_ARN,
                Finding.Severity.ERROR,
                section,
                node,
                source
                    + " userarn is an STS session ARN, which never matches: EKS compares the"
                    + " session's role. Map the role in mapRoles instead."));
      }
      return;
    }
    if (arn.contains(":sts:") && arn.contains(":assumed-role/")) {
      String role = arn.substring(arn.indexOf(":assumed-role/") + ":assumed-role/".length());
      String roleName = role.contains("/") ? role.substring(0, role.lastIndexOf('/')) : role;
      String account = arn.split(":", 6).length == 6 ? arn.split(":", 6)[4] : "ACCOUNT";
      String partition = arn.split(":", 6).length == 6 ? arn.split(":", 6)[1] : "aws";
      findings.add(
          finding(
              Finding.Code.STS_ARN,
              Finding.Severity.ERROR,
              section,
              node,
              source
                  + " rolearn is an STS session ARN, which never matches: EKS compares the"
                  + " session's role. Write arn:"
                  + partition
                  + ":iam::"
                  + account
                  + ":role/"
                  + roleName
                  + "."));
      return;
    }
    try {
      IamRole role = IamRole.of(arn);
      if (!role.path().equals("/")) {
        findings.add(
            finding(
                Finding.Code.ROLE_PATH,
                Finding.Severity.ERROR,
                section,
                node,
                source
                    + " rolearn has the IAM path "
                    + role.path()
                    + ", so it never matches: STS never reports a role's path, and aws-auth compares"
                    + " ARNs as text. Write "
                    + role.withoutPath()
                    + "."));
      }
    } catch (RuntimeException notARole) {
      // a user ARN in mapRoles still matches; other text matches nothing, like any wrong ARN
    }
  }

  private static final Pattern PLACEHOLDER =
      Pattern.compile("<[^>]*>|\\$\\{[^}]*}|\\$[A-Z_]+|\\{\\{[^}]*}}|%[a-z_]+%|\\bACCOUNT_?ID\\b");

  /** Why an ARN is a placeholder or example rather than one a caller has, if it is. */
  private static Optional<String> placeholderIn(String arn) {
    Matcher m = PLACEHOLDER.matcher(arn);
    if (m.find()) {
      return Optional.of("holds the placeholder " + m.group());
    }
    String[] parts = arn.split(":", 6);
    if (parts.length == 6 && parts[4].equals("123456789012")) {
      return Optional.of("has the documentation's example account 123456789012");
    }
    if (parts.length == 6 && (parts[5].equals("role/") || parts[5].equals("user/"))) {
      return Optional.of("has no " + parts[5].substring(0, parts[5].length() - 1) + " name");
    }
    return Optional.empty();
  }

  /** The index of the first character no one means in a Kubernetes name, or -1. */
  private static int strayCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      if ("<>\"',;[]`\\".indexOf(value.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static void lintUsername(
      Section section,
      MappingSource source,
      Node item,
      @Nullable Node node,
      @Nullable String username,
      List<String> groups,
      List<Finding> findings) {
    if (node == null) {
      findings.add(
          finding(
              Finding.Code.MISSING_USERNAME,
              Finding.Severity.WARNING,
              section,
              item,
              source
                  + " has no username: EKS uses the empty username, so audit logs cannot tell"
                  + " its callers apart. Set one, such as name:{{SessionName}}."));
      return;
    }
    if (username == null) {
      findings.add(
          finding(
              Finding.Code.WRONG_TYPE,
              Finding.Severity.ERROR,
              section,
              node,
              source + " username is not text, so EKS uses the empty username. Quote it."));
      return;
    }
    lintName(section, source, "username", node, username, findings);
    boolean nodeRole = groups.contains("system:nodes") || username.startsWith("system:node:");
    // the session ARN form names the role, so the chosen part cannot pass for another principal
    boolean sessionArn = username.startsWith("arn:") && username.contains(":assumed-role/");
    if (!nodeRole
        && !sessionArn
        && (username.contains("{{SessionName}}") || username.contains("{{SessionNameRaw}}"))) {
      findings.add(
          finding(
              Finding.Code.SESSION_NAME_TRUST,
              Finding.Severity.WARNING,
              section,
              node,
              source
                  + " username uses the session name, which whoever assumes the role chooses"
                  + " (--role-session-name): bind RBAC to groups, not to these usernames, unless"
                  + " only a trusted broker such as IAM Identity Center can assume the role."));
    }
  }

  private static void lintGroups(
      Section section,
      MappingSource source,
      @Nullable Node node,
      List<String> groups,
      List<Finding> findings) {
    if (node == null) {
      return;
    }
    if (node instanceof ScalarNode scalar) {
      findings.add(
          finding(
              Finding.Code.GROUPS_NOT_A_LIST,
              Finding.Severity.ERROR,
              section,
              node,
              source
                  + " groups is the single value "
                  + Texts.quote(scalar.getValue())
                  + ", not a list, so EKS gives no groups at all. Write groups: ["
                  + scalar.getValue()
                  + "]."));
      return;
    }
    if (!(node instanceof SequenceNode list)) {
      findings.add(
          finding(
              Finding.Code.WRONG_TYPE,
              Finding.Severity.ERROR,
              section,
              node,
              source + " groups is a mapping, not a list, so EKS gives no groups at all."));
      return;
    }
    for (int i = 0; i < groups.size(); i++) {
      Node itemNode = list.getValue().get(i);
      String g = groups.get(i);
      if (text(itemNode).isEmpty()) {
        findings.add(
            finding(
                Finding.Code.WRONG_TYPE,
                Finding.Severity.ERROR,
                section,
                itemNode,
                source
                    + " groups["
                    + i
                    + "] is not text, so EKS reads it as an empty group. Quote it."));
        continue;
      }
      lintName(section, source, "groups[" + i + "]", itemNode, g, findings);
      if (g.equals("system:masters")) {
        findings.add(
            finding(
                Finding.Code.SYSTEM_MASTERS,
                Finding.Severity.WARNING,
                section,
                itemNode,
                source
                    + " maps to system:masters, which bypasses RBAC and which no RBAC change"
                    + " can revoke. Prefer a group bound to ClusterRole cluster-admin."));
      }
    }
  }

  private static void lintName(
      Section section,
      MappingSource source,
      String field,
      Node node,
      String value,
      List<Finding> findings) {
    int stray = strayCharacter(value);
    if (stray >= 0) {
      findings.add(
          finding(
              Finding.Code.STRAY_CHARACTER,
              Finding.Severity.WARNING,
              section,
              node,
              source
                  + " "
                  + field
                  + " "
                  + Texts.quote(value)
                  + " has "
                  + Texts.quote(String.valueOf(value.charAt(stray)))
                  + " at "
                  + (stray + 1)
                  + ", which no one means in a name: Kubernetes compares names exactly, so it"
                  + " names no one that RBAC binds. Remove it."));
    }
    whitespace(
        section,
        source,
        field,
        node,
        value,
        "Kubernetes compares names exactly, so it names no one",
        findings);
    for (String unknown : Names.unknownPlaceholders(value)) {
      findings.add(
          finding(
              Finding.Code.UNKNOWN_PLACEHOLDER,
              Finding.Severity.WARNING,
              section,
              node,
              source
                  + " "
                  + field
                  + " has {{"
                  + unknown
                  + "}}, which EKS does not know and"
                  + " leaves as written; EKS knows "
                  + String.join(", ", Names.PLACEHOLDERS.stream().sorted().toList())
                  + "."));
    }
    int hidden = Names.forbiddenIndex(value);
    if (hidden >= 0) {
      findings.add(
          finding(
              Finding.Code.HIDDEN_CHARACTER,
              Finding.Severity.ERROR,
              section,
              node,
              source
                  + " "
                  + field
                  + " "
                  + Texts.quote(value)
                  + " holds "
                  + Names.codePoint(value.codePointAt(hidden))
                  + " at index "
                  + hidden
                  + ", a character that cannot be seen or that YAML 1.1 takes for a line break:"
                  + " the name is not what it looks like. eks-access never writes such a name and"
                  + " leaves the entry out of explain and audit; remove it."));
    }
    if (value.contains("{{") && !ReservedNames.NODE_USERNAMES.contains(value)) {
      ReservedNames.reach(value)
          .filter(r -> !value.startsWith(r.prefix())) // written so, it is another finding or a node
          .ifPresent(
              r ->
                  findings.add(
                      finding(
                          Finding.Code.RESERVED_TEMPLATE,
                          Finding.Severity.ERROR,
                          section,
                          node,
                          source
                              + " "
                              + field
                              + " "
                              + Texts.quote(value)
                              + " "
                              + r.describe()
                              + ": EKS renders it for each session, so the principal can become"
                              + " a user or group Kubernetes or EKS keeps for itself, such as"
                              + " system:masters. Put a name of your own before the"
                              + " placeholder, such as acme:{{SessionName}}.")));
    }
  }

  /** Leading or trailing whitespace, which EKS keeps; true when found. */
  private static boolean whitespace(
      Section section,
      MappingSource source,
      String field,
      Node node,
      String value,
      String consequence,
      List<Finding> findings) {
    if (value.equals(value.strip())) {
      return false;
    }
    findings.add(
        finding(
            Finding.Code.WHITESPACE,
            Finding.Severity.ERROR,
            section,
            node,
            source
                + " "
                + field
                + " "
                + Texts.quote(value)
                + " has leading or trailing whitespace, "
                + consequence
                + "; remove it."));
    return true;
  }

  private static Finding finding(
      Finding.Code code, Finding.Severity severity, Section section, Node at, String message) {
    return new Finding(code, severity, section, line(at), column(at), message);
  }

  private static @Nullable SsoMatcher sso(Node value) {
    if (!(value instanceof MappingNode map)) {
      return null;
    }
    String permissionSet = "";
    String account = "";
    @Nullable String partition = null;
    for (NodeTuple t : map.getValue()) {
      String key =
          t.getKeyNode() instanceof ScalarNode k ? k.getValue().toLowerCase(Locale.ROOT) : "";
      switch (key) {
        case "permissionsetname" -> permissionSet = text(t.getValueNode()).orElse("");
        case "accountid" -> account = text(t.getValueNode()).orElse("");
        case "partition" -> partition = text(t.getValueNode()).orElse(null);
        default -> {}
      }
    }
    return new SsoMatcher(permissionSet, account, Optional.ofNullable(partition));
  }

  /** Whether go-yaml (YAML 1.1) reads this text, written plain, as something other than text. */
  public static boolean isPlainNonText(String value) {
    return mayBeNonText(value) && NOT_TEXT.matcher(value).matches();
  }

  /**
   * A cheap pre-check for {@link #NOT_TEXT}: every YAML 1.1 null, bool or number starts with one of
   * these characters, and a word-like one is at most five letters long. Most ARNs, usernames and
   * groups fail it, so the regex runs rarely.
   */
  private static boolean mayBeNonText(String value) {
    if (value.isEmpty()) {
      return false;
    }
    char c = value.charAt(0);
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == '~') {
      return true;
    }
    return value.length() <= 5 && "nNyYtTfFoO".indexOf(c) >= 0;
  }

  /** Keys are nearly always lower case already; skip the copy then. */
  private static String lowerCase(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c > 127) {
        return key.toLowerCase(Locale.ROOT);
      }
    }
    return key;
  }

  /** A text value as Go's json would take it: only a YAML string; anything else is empty. */
  public static Optional<String> text(Node node) {
    if (!(node instanceof ScalarNode scalar)) {
      return Optional.empty();
    }
    if (scalar.getScalarStyle() == ScalarStyle.PLAIN && isPlainNonText(scalar.getValue())) {
      return Optional.empty();
    }
    return Optional.of(scalar.getValue());
  }

  private static List<String> texts(Node node) {
    if (!(node instanceof SequenceNode list)) {
      return List.of(); // "groups: system:masters" gives no groups at all
    }
    List<String> out = new ArrayList<>();
    for (Node item : list.getValue()) {
      out.add(text(item).orElse(""));
    }
    return out;
  }

  private static Result dropped(Section section, String text, Node at, String problem) {
    return dropped(section, text, line(at), column(at), problem);
  }

  private static Result dropped(
      Section section, String text, int line, int column, String problem) {
    List<String> arns = new ArrayList<>();
    Matcher m = ARN_IN_TEXT.matcher(text);
    while (m.find()) {
      arns.add(m.group(1));
    }
    boolean nodes = text.contains("system:nodes") || text.contains("system:bootstrappers");
    SectionError error = new SectionError(section, line, column, problem, arns, nodes);
    List<Finding> findings = new ArrayList<>();
    findings.add(
        new Finding(
            Finding.Code.SECTION_DROPPED,
            Finding.Severity.ERROR,
            section,
            line,
            column,
            error.toString()));
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String indent = lines[i].substring(0, lines[i].length() - lines[i].stripLeading().length());
      if (indent.indexOf('\t') >= 0) {
        findings.add(
            new Finding(
                Finding.Code.TAB_INDENT,
                Finding.Severity.ERROR,
                section,
                i + 1,
                indent.indexOf('\t') + 1,
                "a tab in the indentation; YAML allows only spaces there. Replace it with spaces."));
      }
    }
    return new Result(List.of(), List.of(), Optional.of(error), findings, Optional.empty());
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
  }

  private static int column(Node node) {
    return node.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
  }

  private static String kindOf(Node node) {
    return switch (node.getNodeType()) {
      case MAPPING -> "a mapping";
      case SEQUENCE -> "a list";
      default -> "a single value";
    };
  }

  /**
   * Watches the events the composer consumes and notes, for each item of the top-level list, where
   * its text is and which anchors it defines and aliases it uses: an alias item's node is the
   * anchored node, whose marks are elsewhere, so node marks cannot tell.
   */
  private static final class ItemTracker implements Parser {
    private final Parser delegate;
    private int depth;
    private boolean rootIsList;
    private final Deque<Boolean> flow = new ArrayDeque<>();
    private final List<Building> items = new ArrayList<>();
    private @Nullable Building current;
    private final Map<String, Integer> definedIn = new HashMap<>();
    private boolean local = true;

    /** An item whose events are still being read. */
    private static final class Building {
      final int start;
      int contentEnd;
      boolean blockScalar;
      final Map<String, Mark> anchors = new LinkedHashMap<>();
      final List<AliasUse> aliases = new ArrayList<>();

      Building(int start) {
        this.start = start;
        this.contentEnd = start;
      }
    }

    ItemTracker(Parser delegate) {
      this.delegate = delegate;
    }

    /** Whether nothing was read that ties one item's reading to another's: see {@link Tree}. */
    boolean local() {
      return local && rootIsList;
    }

    List<Item> items() {
      return items.stream()
          .map(b -> new Item(b.start, b.contentEnd, b.blockScalar, b.anchors, b.aliases))
          .toList();
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return delegate.hasNext();
    }

    @Override
    public Event next() {
      Event e = delegate.next();
      if (depth == 1 && rootIsList && current == null && e instanceof NodeEvent) {
        current = new Building(index(e.getStartMark()));
        items.add(current);
      }
      Building item = current;
      int itemIndex = items.size() - 1;
      noteNonLocal(e);
      if (e instanceof AliasEvent alias) {
        if (item != null) {
          String name = alias.getAlias().getValue();
          item.aliases.add(new AliasUse(name, definedIn.getOrDefault(name, -1)));
          content(item, e, false);
        }
      } else {
        if (e instanceof NodeEvent node && node.getAnchor().isPresent()) {
          String name = node.getAnchor().get().getValue();
          definedIn.put(name, item == null ? -1 : itemIndex);
          if (item != null) {
            item.anchors.put(name, e.getStartMark().orElseThrow());
          }
        }
        if (e instanceof ScalarEvent scalar && item != null) {
          content(
              item,
              e,
              scalar.getScalarStyle() == ScalarStyle.LITERAL
                  || scalar.getScalarStyle() == ScalarStyle.FOLDED);
        } else if (e instanceof CollectionStartEvent start) {
          if (depth == 0) {
            rootIsList = e.getEventId() == Event.ID.SequenceStart;
          }
          flow.push(start.isFlow());
          depth++;
        } else if (e.getEventId() == Event.ID.SequenceEnd
            || e.getEventId() == Event.ID.MappingEnd) {
          boolean wasFlow = Boolean.TRUE.equals(flow.poll());
          depth--;
          if (item != null && wasFlow) { // a block collection's end lies at what follows it
            content(item, e, false);
          }
        }
      }
      if (depth <= 1) {
        current = null;
      }
      return e;
    }

    private void noteNonLocal(Event e) {
      if (e instanceof AliasEvent
          || (e instanceof NodeEvent n && n.getAnchor().isPresent())
          || (e instanceof ScalarEvent s
              && (s.getTag().isPresent()
                  || s.getScalarStyle() == ScalarStyle.LITERAL
                  || s.getScalarStyle() == ScalarStyle.FOLDED))
          || (e instanceof CollectionStartEvent c
              && (c.getTag().isPresent() || (depth == 0 && c.isFlow())))
          || (e instanceof DocumentStartEvent d && d.isExplicit())
          || (e instanceof DocumentEndEvent end && end.isExplicit())) {
        local = false;
      }
    }

    private static void content(Building item, Event e, boolean blockScalar) {
      int end = index(e.getEndMark());
      if (end >= item.contentEnd) {
        item.contentEnd = end;
        item.blockScalar = blockScalar;
      }
    }

    private static int index(Optional<Mark> mark) {
      return mark.map(Mark::getIndex).orElse(0);
    }
  }
}
