package dev.eksaccess.awsauth.internal;

import dev.eksaccess.awsauth.AwsAuthEntry;
import dev.eksaccess.awsauth.MappingSource;
import dev.eksaccess.awsauth.Section;
import dev.eksaccess.awsauth.SectionError;
import dev.eksaccess.awsauth.SsoMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

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
              + "|[-+]?(0|[1-9][0-9_]*)|0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+"
              + "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private static final Pattern ARN_IN_TEXT =
      Pattern.compile("(?i)(?:rolearn|userarn)\\s*[:=]\\s*[\"']?(arn:[^\"'\\s,}]+)");

  /** What a section held: its entries (or accounts), or the error that dropped it. */
  public record Result(
      List<AwsAuthEntry> entries, List<String> accounts, Optional<SectionError> error) {
    public Result {
      entries = List.copyOf(entries);
      accounts = List.copyOf(accounts);
    }
  }

  private SectionParser() {}

  /** Whether EKS skips the section without error: blank, {@code ``}, {@code ""} or {@code ''}. */
  public static boolean isSkippable(String text) {
    String t = text.strip();
    return t.isEmpty() || t.equals("``") || t.equals("\"\"") || t.equals("''");
  }

  /** Parses a section's text. */
  public static Result parse(Section section, String text) {
    if (isSkippable(text)) {
      return new Result(List.of(), List.of(), Optional.empty());
    }
    Node root;
    try {
      // The composer, not api.lowlevel.Compose: the module descriptor does not export the latter.
      LoadSettings settings = LoadSettings.builder().setLabel(section.key()).build();
      Optional<Node> composed =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)))
              .getSingleNode();
      if (composed.isEmpty()) {
        return new Result(List.of(), List.of(), Optional.empty());
      }
      root = composed.get();
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      return dropped(
          section,
          text,
          mark.map(m -> m.getLine() + 1).orElse(1),
          mark.map(m -> m.getColumn() + 1).orElse(1),
          "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      return dropped(section, text, 1, 1, "not valid YAML: " + e.getMessage());
    }
    if (!(root instanceof SequenceNode list)) {
      return dropped(
          section,
          text,
          line(root),
          column(root),
          "is " + kindOf(root) + ", not a list of entries (each starting with \"- \")");
    }
    if (section == Section.MAP_ACCOUNTS) {
      return accounts(section, text, list);
    }
    List<AwsAuthEntry> entries = new ArrayList<>();
    List<Node> items = list.getValue();
    for (int i = 0; i < items.size(); i++) {
      entries.add(entry(section, i, items.get(i)));
    }
    return new Result(entries, List.of(), Optional.empty());
  }

  private static Result accounts(Section section, String text, SequenceNode list) {
    List<String> accounts = new ArrayList<>();
    for (Node item : list.getValue()) {
      if (!(item instanceof ScalarNode scalar)) {
        return dropped(
            section,
            text,
            line(item),
            column(item),
            "holds "
                + kindOf(item)
                + " where an account id belongs; write \"- \\\"111122223333\\\"\"");
      }
      accounts.add(scalar.getValue()); // yaml.v2 keeps any scalar as its literal text
    }
    return new Result(List.of(), accounts, Optional.empty());
  }

  private static AwsAuthEntry entry(Section section, int index, Node item) {
    MappingSource source = new MappingSource(section, index, line(item));
    String arn = "";
    @Nullable String username = null;
    List<String> groups = List.of();
    @Nullable SsoMatcher sso = null;
    if (item instanceof MappingNode map) {
      String arnKey = section == Section.MAP_ROLES ? "rolearn" : "userarn";
      for (NodeTuple t : map.getValue()) {
        String key =
            t.getKeyNode() instanceof ScalarNode k ? k.getValue().toLowerCase(Locale.ROOT) : "";
        Node value = t.getValueNode();
        if (key.equals(arnKey)) {
          arn = text(value).orElse("");
        } else if (key.equals("username")) {
          username = text(value).orElse(null);
        } else if (key.equals("groups")) {
          groups = texts(value);
        } else if (key.equals("sso") && section == Section.MAP_ROLES) {
          sso = sso(value);
        }
      }
    }
    return new AwsAuthEntry(
        source, arn, Optional.ofNullable(username), groups, Optional.ofNullable(sso));
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

  /** A text value as Go's json would take it: only a YAML string; anything else is empty. */
  public static Optional<String> text(Node node) {
    if (!(node instanceof ScalarNode scalar)) {
      return Optional.empty();
    }
    if (scalar.getScalarStyle() == ScalarStyle.PLAIN
        && NOT_TEXT.matcher(scalar.getValue()).matches()) {
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

  private static Result dropped(
      Section section, String text, int line, int column, String problem) {
    List<String> arns = new ArrayList<>();
    Matcher m = ARN_IN_TEXT.matcher(text);
    while (m.find()) {
      arns.add(m.group(1));
    }
    boolean nodes = text.contains("system:nodes") || text.contains("system:bootstrappers");
    return new Result(
        List.of(),
        List.of(),
        Optional.of(new SectionError(section, line, column, problem, arns, nodes)));
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
}
