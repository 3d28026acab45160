package dev.eksaccess.awsauth.internal;

import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Principal;
import dev.eksaccess.api.UnsupportedGrantException;
import dev.eksaccess.api.spi.Capability;
import dev.eksaccess.api.spi.IdentityChange;
import dev.eksaccess.api.spi.IdentityChanges;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.support.AccessEntryRules;
import dev.eksaccess.api.support.Names;
import dev.eksaccess.awsauth.MalformedAwsAuthException;
import dev.eksaccess.awsauth.Section;
import dev.eksaccess.awsauth.SectionError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Applies identity changes to aws-auth data without losing anything: other data keys, untouched
 * entries (their text, comments included), and fields it does not model are kept. What it writes
 * goes through the YAML emitter, so no value can inject another mapping.
 */
public final class AwsAuthEditor {
  private static final DumpSettings DUMP =
      DumpSettings.builder()
          .setDefaultFlowStyle(FlowStyle.BLOCK)
          .setIndent(2)
          .setWidth(4096)
          .build();

  /**
   * For an entry that holds a character a YAML 1.1 reader would take for a line break or not read
   * at all (kept from the text it was read from): every non-ASCII character escaped, which both
   * YAML versions read back as the same character.
   */
  private static final DumpSettings DUMP_ESCAPED =
      DumpSettings.builder()
          .setDefaultFlowStyle(FlowStyle.BLOCK)
          .setIndent(2)
          .setWidth(4096)
          .setUseUnicodeEncoding(false)
          .build();

  /**
   * Plain text that YAML 1.1 and 1.2 readers both take as this very string: printable ASCII,
   * starting with a letter, an underscore or a slash (no indicator, digit, sign or dot, so no
   * number, date or sexagesimal of YAML 1.1 either). The emitter quotes it anyway where YAML needs
   * quotes (": ", " #", a trailing colon).
   */
  private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z_/][\\x20-\\x7E]*");

  private AwsAuthEditor() {}

  /**
   * What an edit produced: the new data and, for each section it spliced where every item reads the
   * same wherever it stands ({@link SectionParser.Tree#local()}), what it wrote there. Such a
   * section is proven by reading only the written text: the items kept are the same bytes in the
   * same context. A section changed without a splice here must be read back whole.
   *
   * @param data the new data, every key included
   * @param splices for each locally spliced section, the items it replaced and the text written
   */
  public record Edited(Map<String, String> data, Map<Section, Splice> splices) {
    public Edited {
      data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
      splices = Map.copyOf(splices);
    }
  }

  /**
   * The text a local splice wrote into one section.
   *
   * @param replaced the indexes of the items it removed or rewrote
   * @param written each piece of text it wrote, every one a list of whole items on its own
   */
  public record Splice(Set<Integer> replaced, List<String> written) {
    public Splice {
      replaced = Set.copyOf(replaced);
      written = List.copyOf(written);
    }
  }

  /**
   * The data after the changes, and what was spliced where: see {@link Edited}. Sections EKS cannot
   * read are never edited.
   */
  public static Edited edit(
      Map<String, String> data,
      Map<Section, SectionParser.Tree> trees,
      List<SectionError> errors,
      IdentityChanges changes) {
    Map<Section, List<IdentityChange>> bySection = new LinkedHashMap<>();
    for (IdentityChange c : changes.changes()) {
      bySection.computeIfAbsent(sectionOf(c), k -> new ArrayList<>()).add(c);
    }
    for (IdentityChange c : changes.changes()) {
      // EKS matches a caller against both sections, so a role ARN under mapUsers (or a user ARN
      // under mapRoles) maps it too: a removal that left it would leave the access in place.
      // A section EKS cannot read maps no one, and is left as it is.
      // A put too: an entry in the other section would win over the put (mapRoles is matched
      // first) or linger behind it, so the principal's only entry is the one put.
      Principal principal =
          c instanceof IdentityChange.Remove remove
              ? remove.principal()
              : c instanceof IdentityChange.Put put ? put.mapping().principal() : null;
      if (principal != null) {
        Section other = sectionOf(c) == Section.MAP_ROLES ? Section.MAP_USERS : Section.MAP_ROLES;
        boolean readable = errors.stream().noneMatch(err -> err.section() == other);
        if (readable && trees.containsKey(other)) {
          bySection
              .computeIfAbsent(other, k -> new ArrayList<>())
              .add(new IdentityChange.Remove(principal));
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>(data);
    Map<Section, Splice> splices = new LinkedHashMap<>();
    for (Map.Entry<Section, List<IdentityChange>> e : bySection.entrySet()) {
      Section section = e.getKey();
      requireReadable(section, errors);
      String before = data.get(section.key());
      String after =
          edit(
              section,
              before == null ? "" : before,
              trees.get(section),
              e.getValue(),
              splice -> splices.put(section, splice));
      if (before != null || !after.isEmpty()) { // nothing to remove from a missing key: no key
        out.put(section.key(), after);
      }
    }
    return new Edited(out, splices);
  }

  private static void requireReadable(Section section, List<SectionError> errors) {
    for (SectionError err : errors) {
      if (err.section() == section) {
        throw new MalformedAwsAuthException(
            section.key(),
            err.line(),
            err.column(),
            "aws-auth "
                + err
                + " eks-access never overwrites a section EKS cannot read; fix it by hand, or"
                + " review and confirm AwsAuthBackend.repair().");
      }
    }
  }

  private static Section sectionOf(IdentityChange c) {
    if (c instanceof IdentityChange.Put put) {
      if (!put.mapping().policies().isEmpty()) {
        throw new UnsupportedGrantException(
            Capability.ACCESS_POLICIES,
            "aws-auth has no access policies; "
                + put.mapping().principal()
                + " cannot be associated with "
                + put.mapping().policies()
                + ".");
      }
      return put.mapping().principal() instanceof IamRole ? Section.MAP_ROLES : Section.MAP_USERS;
    }
    if (c instanceof IdentityChange.Remove remove) {
      return remove.principal() instanceof IamRole ? Section.MAP_ROLES : Section.MAP_USERS;
    }
    return Section.MAP_ACCOUNTS;
  }

  /** The ARN aws-auth must hold for a principal: roles without their path, as STS reports them. */
  public static String awsAuthArn(Principal p) {
    return p instanceof IamRole role ? role.withoutPath().arn().value() : p.arn().value();
  }

  /** Edits one section, reusing the nodes the document already composed (no second parse). */
  private static String edit(
      Section section,
      String text,
      SectionParser.@Nullable Tree parsed,
      List<IdentityChange> changes,
      Consumer<Splice> spliced) {
    Optional<SectionParser.Tree> tree = Optional.ofNullable(parsed);
    List<Node> items =
        tree.map(t -> new ArrayList<>(t.root().getValue())).orElseGet(ArrayList::new);
    // What to do with each existing item (null: delete; same node: keep), then what to append.
    List<@Nullable Node> result = new ArrayList<>(items);
    List<Node> appended = new ArrayList<>();
    for (IdentityChange c : changes) {
      if (c instanceof IdentityChange.Put put) {
        put(section, put.mapping(), result, appended);
      } else if (c instanceof IdentityChange.Remove remove) {
        String arn = awsAuthArn(remove.principal());
        for (int i = 0; i < result.size(); i++) {
          Node n = result.get(i);
          if (n != null && arnOf(section, n).equalsIgnoreCase(arn)) {
            result.set(i, null);
          }
        }
        appended.removeIf(n -> arnOf(section, n).equalsIgnoreCase(arn));
      } else if (c instanceof IdentityChange.AddAccount add) {
        boolean present =
            result.stream()
                    .anyMatch(
                        n -> n instanceof ScalarNode s && s.getValue().equals(add.accountId()))
                || appended.stream()
                    .anyMatch(n -> ((ScalarNode) n).getValue().equals(add.accountId()));
        if (!present) {
          appended.add(new ScalarNode(Tag.STR, add.accountId(), ScalarStyle.DOUBLE_QUOTED));
        }
      } else if (c instanceof IdentityChange.RemoveAccount remove) {
        for (int i = 0; i < result.size(); i++) {
          if (result.get(i) instanceof ScalarNode s && s.getValue().equals(remove.accountId())) {
            result.set(i, null);
          }
        }
        appended.removeIf(n -> ((ScalarNode) n).getValue().equals(remove.accountId()));
      }
    }
    if (appended.isEmpty() && unchanged(items, result)) {
      return text; // e.g. removing a principal that is not there: not even the layout changes
    }
    return write(section, text, tree, items, result, appended, spliced);
  }

  @SuppressWarnings("ReferenceEquality") // an item not replaced is the very same node
  private static boolean unchanged(List<Node> items, List<@Nullable Node> result) {
    for (int i = 0; i < items.size(); i++) {
      if (result.get(i) != items.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static String write(
      Section section,
      String text,
      Optional<SectionParser.Tree> tree,
      List<Node> items,
      List<@Nullable Node> result,
      List<Node> appended,
      Consumer<Splice> spliced) {
    if (tree.isEmpty() || tree.get().root().getFlowStyle() == FlowStyle.FLOW) {
      // Nothing to keep text of (or a JSON/flow list, which has no lines to splice): emit it whole.
      List<Node> all = new ArrayList<>();
      result.stream().filter(n -> n != null).forEach(all::add);
      all.addAll(appended);
      return all.isEmpty() ? "[]\n" : dump(new SequenceNode(Tag.SEQ, all, FlowStyle.BLOCK), 0);
    }
    return splice(section, text, tree.get(), items, result, appended, spliced);
  }

  /**
   * The data without the entries for {@code principal}'s ARN: all of them, or only the first (as
   * {@code eksctl delete iamidentitymapping} does). Unchanged data when there is none.
   */
  public static Map<String, String> removeMapping(
      Map<String, String> data,
      Map<Section, SectionParser.Tree> trees,
      List<SectionError> errors,
      Principal principal,
      boolean all) {
    Section section = principal instanceof IamRole ? Section.MAP_ROLES : Section.MAP_USERS;
    requireReadable(section, errors);
    SectionParser.Tree tree = trees.get(section);
    if (tree == null) {
      return data;
    }
    List<Node> items = new ArrayList<>(tree.root().getValue());
    List<@Nullable Node> result = new ArrayList<>(items);
    String arn = awsAuthArn(principal);
    boolean removed = false;
    for (int i = 0; i < result.size() && (all || !removed); i++) {
      if (arnOf(section, items.get(i)).equalsIgnoreCase(arn)) {
        result.set(i, null);
        removed = true;
      }
    }
    if (!removed) {
      return data;
    }
    Map<String, String> out = new LinkedHashMap<>(data);
    out.put(
        section.key(),
        write(
            section,
            data.getOrDefault(section.key(), ""),
            Optional.of(tree),
            items,
            result,
            List.of(),
            splice -> {}));
    return out;
  }

  /**
   * The data with each unreadable section replaced by the entries EKS would read from it, which is
   * none: the repaired section is an empty list. Other sections and keys are kept.
   */
  public static Map<String, String> repaired(Map<String, String> data, List<SectionError> errors) {
    Map<String, String> out = new LinkedHashMap<>(data);
    for (SectionError err : errors) {
      out.put(err.section().key(), "[]\n");
    }
    return out;
  }

  private static void put(
      Section section, IdentityMapping mapping, List<@Nullable Node> result, List<Node> appended) {
    String arn = awsAuthArn(mapping.principal());
    int last = -1;
    for (int i = 0; i < result.size(); i++) {
      Node n = result.get(i);
      if (n != null && arnOf(section, n).equalsIgnoreCase(arn)) {
        last = i; // duplicates: EKS uses the last, so that is the one to change
      }
    }
    if (last >= 0) {
      MappingNode entry = (MappingNode) result.get(last);
      if (!alreadySays(entry, mapping)) { // an entry that already says it keeps its every byte
        result.set(last, updated(entry, mapping));
      }
      return;
    }
    appended.removeIf(n -> arnOf(section, n).equalsIgnoreCase(arn));
    List<NodeTuple> tuples = new ArrayList<>();
    tuples.add(tuple(section == Section.MAP_ROLES ? "rolearn" : "userarn", text(arn)));
    tuples.add(
        tuple(
            "username",
            text(
                mapping.username().orElse(AccessEntryRules.defaultUsername(mapping.principal())))));
    if (!mapping.groups().isEmpty()) {
      tuples.add(tuple("groups", list(mapping.groups())));
    }
    appended.add(new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK));
  }

  /** Whether the entry's username and groups are already the mapping's, as plain text values. */
  private static boolean alreadySays(MappingNode entry, IdentityMapping mapping) {
    @Nullable String username = null;
    @Nullable List<String> groups = null;
    for (NodeTuple t : entry.getValue()) {
      String key = keyOf(t);
      if (key.equals("username") && t.getValueNode() instanceof ScalarNode u) {
        username = u.getValue();
      } else if (key.equals("groups") && t.getValueNode() instanceof SequenceNode seq) {
        List<String> values = new ArrayList<>();
        for (Node g : seq.getValue()) {
          if (!(g instanceof ScalarNode v)) {
            return false;
          }
          values.add(v.getValue());
        }
        groups = values;
      }
    }
    boolean sameUsername =
        mapping.username().isEmpty() ? username != null : mapping.username().get().equals(username);
    return sameUsername
        && (groups == null ? mapping.groups().isEmpty() : groups.equals(mapping.groups()));
  }

  /** The entry with username and groups as the mapping says; every other key kept as it was. */
  private static MappingNode updated(MappingNode entry, IdentityMapping mapping) {
    List<NodeTuple> tuples = new ArrayList<>();
    boolean hasUsername = false;
    for (NodeTuple t : entry.getValue()) {
      String key = keyOf(t);
      if (key.equals("groups")) {
        continue;
      }
      if (key.equals("username")) {
        hasUsername = true;
        tuples.add(
            mapping.username().isPresent() ? tuple("username", text(mapping.username().get())) : t);
        continue;
      }
      tuples.add(t);
    }
    if (!hasUsername) {
      tuples.add(
          tuple(
              "username",
              text(
                  mapping
                      .username()
                      .orElse(AccessEntryRules.defaultUsername(mapping.principal())))));
    }
    tuples.add(tuple("groups", list(mapping.groups())));
    return new MappingNode(Tag.MAP, tuples, entry.getFlowStyle());
  }

  /**
   * The ARN an entry holds, as written. Only compared with a well-formed ARN, so a non-text scalar
   * (which EKS reads as empty) needs no YAML 1.1 type check here: it never equals one.
   */
  private static String arnOf(Section section, Node item) {
    if (!(item instanceof MappingNode map)) {
      return "";
    }
    String arnKey = section == Section.MAP_ROLES ? "rolearn" : "userarn";
    String arn = "";
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k
          && k.getValue().equalsIgnoreCase(arnKey)
          && t.getValueNode() instanceof ScalarNode v) {
        arn = v.getValue();
      }
    }
    return arn;
  }

  private static String keyOf(NodeTuple t) {
    return t.getKeyNode() instanceof ScalarNode k ? k.getValue().toLowerCase(Locale.ROOT) : "";
  }

  private static NodeTuple tuple(String key, Node value) {
    return new NodeTuple(new ScalarNode(Tag.STR, key, ScalarStyle.PLAIN), value);
  }

  /**
   * A text scalar that YAML 1.1 (EKS) and YAML 1.2 readers both read back as the same text: plain
   * only where that is certain, double-quoted otherwise.
   */
  private static ScalarNode text(String value) {
    return new ScalarNode(
        Tag.STR, value, isPlainSafe(value) ? ScalarStyle.PLAIN : ScalarStyle.DOUBLE_QUOTED);
  }

  /** Whether both YAML versions read {@code value}, written plain, as this very string. */
  public static boolean isPlainSafe(String value) {
    return PLAIN_SAFE.matcher(value).matches() && !SectionParser.isPlainNonText(value);
  }

  private static SequenceNode list(List<String> values) {
    List<Node> items = new ArrayList<>();
    values.forEach(v -> items.add(text(v)));
    return new SequenceNode(Tag.SEQ, items, FlowStyle.BLOCK);
  }

  /** Replaces, deletes and appends items by their text ranges, bottom up; the rest is untouched. */
  @SuppressWarnings(
      "ReferenceEquality") // identity is the point: an item not replaced keeps its text
  private static String splice(
      Section section,
      String text,
      SectionParser.Tree tree,
      List<Node> items,
      List<@Nullable Node> result,
      List<Node> appended,
      Consumer<Splice> spliced) {
    record Edit(int start, int end, String replacement) {}
    List<SectionParser.Item> spans = tree.items();
    requireAnchorsKept(section, spans, items, result);
    List<Edit> edits = new ArrayList<>();
    // The parser's marks count code points, a String counts UTF-16 chars: past an emoji or any
    // other character beyond the BMP they differ, and a mark taken as is cuts the wrong text.
    IntUnaryOperator chars =
        text.length() == text.codePointCount(0, text.length())
            ? IntUnaryOperator.identity()
            : codePoints -> text.offsetByCodePoints(0, codePoints);
    // Every item's dash stands in the column of the first one's. (Not the sequence's start: with
    // an anchor or a tag before it, that is where the anchor or tag is.)
    int column = 0;
    boolean columnIsADash = items.isEmpty();
    if (!items.isEmpty()) {
      int first = dashBefore(text, chars.applyAsInt(spans.get(0).start()), -1);
      column = first - lineStart(text, first);
      // the dash found is the list's only if its line is that many spaces, then "- " (a dash in a
      // comment before the first token, "- # break-glass", is not)
      columnIsADash = isItemDash(text, lineStart(text, first), column);
    }
    int indent = column;
    for (int i = 0; i < items.size(); i++) {
      Node original = items.get(i);
      @Nullable Node now = result.get(i);
      if (now == original) {
        continue;
      }
      int[] range = region(text, spans.get(i), chars, column);
      edits.add(new Edit(range[0], range[1], now == null ? "" : dump(now, indent)));
    }
    if (!appended.isEmpty()) {
      int last = items.size() - 1;
      int at = items.isEmpty() ? text.length() : end(text, spans.get(last), chars);
      String prefix = at > 0 && !isBreak(text.charAt(at - 1)) ? "\n" : "";
      if (last >= 0
          && at == text.length()
          && !prefix.isEmpty()
          && spans.get(last).endsWithBlockScalar()
          && result.get(last) == items.get(last)) {
        // A line break after a block scalar that ends the text would become part of its value:
        // the new entries go before that entry instead (their order means nothing to EKS).
        at = region(text, spans.get(last), chars, column)[0];
        prefix = "";
      }
      StringBuilder added = new StringBuilder(prefix);
      for (Node n : appended) {
        added.append(dump(n, indent));
      }
      edits.add(new Edit(at, at, added.toString()));
    }
    if (tree.local() && plainLines(text) && columnIsADash) {
      Set<Integer> replaced = new HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        if (result.get(i) != items.get(i)) {
          replaced.add(i);
        }
      }
      List<String> written = new ArrayList<>();
      boolean atColumn = true;
      for (Edit e : edits) {
        atColumn &=
            e.start() == e.end()
                ? e.start() == 0 || e.start() == text.length() || text.charAt(e.start() - 1) == '\n'
                : onlySpacesBefore(text, e.start(), column);
        if (!e.replacement().isEmpty()) {
          written.add(e.replacement());
        }
      }
      if (atColumn) {
        spliced.accept(new Splice(replaced, written));
      }
    }
    edits.sort(Comparator.comparingInt(Edit::start).reversed());
    StringBuilder out = new StringBuilder(text);
    for (Edit e : edits) {
      out.replace(e.start(), e.end(), e.replacement());
    }
    return out.toString();
  }

  /**
   * Refuses an edit that would rewrite or delete an entry defining an anchor that a kept entry
   * uses: the alias would be left undefined, and EKS would drop the whole section.
   */
  @SuppressWarnings("ReferenceEquality") // an item not replaced is the very same node
  private static void requireAnchorsKept(
      Section section,
      List<SectionParser.Item> spans,
      List<Node> items,
      List<@Nullable Node> result) {
    for (int i = 0; i < items.size(); i++) {
      if (result.get(i) != items.get(i)) {
        continue; // rewritten or deleted: what its aliases stood for is written out, or gone
      }
      for (SectionParser.AliasUse alias : spans.get(i).aliases()) {
        int def = alias.definedIn();
        if (def < 0 || def == i || result.get(def) == items.get(def)) {
          continue;
        }
        Mark at = spans.get(def).anchors().get(alias.name());
        int line = at == null ? 1 : at.getLine() + 1;
        int column = at == null ? 1 : at.getColumn() + 1;
        throw new MalformedAwsAuthException(
            section.key(),
            line,
            column,
            section.key()
                + " entry "
                + (def + 1)
                + " (line "
                + line
                + ") defines the anchor &"
                + alias.name()
                + ", which entry "
                + (i + 1)
                + " uses (*"
                + alias.name()
                + "). eks-access rewrites only the entries it changes, so changing entry "
                + (def + 1)
                + " would leave *"
                + alias.name()
                + " undefined, and EKS would drop all of "
                + section.key()
                + "; nothing was written. Replace *"
                + alias.name()
                + " with the text it stands for, then retry.");
      }
    }
  }

  /**
   * Whether the text's lines are what both YAML versions and the editor's line arithmetic agree on:
   * no tab, carriage return, byte order mark, or line break that only YAML 1.1 sees.
   */
  private static boolean plainLines(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\t'
          || c == '\r'
          || c == '\uFEFF'
          || c == '\u0085'
          || c == '\u2028'
          || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  /** Whether the line at {@code lineStart} is {@code column} spaces, then a dash and a blank. */
  private static boolean isItemDash(String text, int lineStart, int column) {
    for (int i = lineStart; i < lineStart + column; i++) {
      if (i >= text.length() || text.charAt(i) != ' ') {
        return false;
      }
    }
    int dash = lineStart + column;
    return dash + 1 < text.length()
        && text.charAt(dash) == '-'
        && (text.charAt(dash + 1) == ' ' || text.charAt(dash + 1) == '\n');
  }

  /**
   * Whether a cut at {@code at} starts at a whole item: a line start whose line has only spaces
   * before a dash in the list's column.
   */
  private static boolean onlySpacesBefore(String text, int at, int column) {
    if (at > 0 && text.charAt(at - 1) != '\n') {
      return false;
    }
    for (int i = at; i < at + column; i++) {
      if (i >= text.length() || text.charAt(i) != ' ') {
        return false;
      }
    }
    return isItemDash(text, at, column);
  }

  /** An item's text: from the start of its dash's line to the end of its last token's line. */
  private static int[] region(
      String text, SectionParser.Item item, IntUnaryOperator chars, int column) {
    int start = lineStart(text, dashBefore(text, chars.applyAsInt(item.start()), column));
    return new int[] {start, Math.max(start, end(text, item, chars))};
  }

  /**
   * Where an item's text ends: after the line of its last token (a comment on that line included).
   * Blank and comment lines after it belong to what follows; a block scalar's kept trailing lines
   * are part of its token.
   */
  private static int end(String text, SectionParser.Item item, IntUnaryOperator chars) {
    int end = Math.min(chars.applyAsInt(item.contentEnd()), text.length());
    return end == 0 || isBreak(text.charAt(end - 1)) ? end : lineEnd(text, end);
  }

  /**
   * The dash that opens an item starting at {@code at}: the last one before it in the list's column
   * (any column when that is -1), so that neither an item that is itself a list ({@code - - x}), a
   * key starting with a dash ({@code - -x: y}) nor a dash in an anchor name is taken for it.
   */
  private static int dashBefore(String text, int at, int column) {
    int dash = text.lastIndexOf('-', at - 1);
    while (column >= 0 && dash >= 0 && dash - lineStart(text, dash) != column) {
      dash = text.lastIndexOf('-', dash - 1);
    }
    return dash >= 0 ? dash : at;
  }

  /**
   * Whether EKS's YAML 1.1 reader ends a line at this character: a line feed, a carriage return, or
   * NEXT LINE, LINE SEPARATOR, PARAGRAPH SEPARATOR. The document is read with all of them as line
   * breaks, so the editor counts lines the same way.
   */
  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /**
   * Where the line holding {@code index} starts; a byte order mark opening the text is before it.
   */
  private static int lineStart(String text, int index) {
    int start = 0;
    for (int i = Math.min(index, text.length()) - 1; i >= 0; i--) {
      if (isBreak(text.charAt(i))) {
        start = i + 1;
        break;
      }
    }
    return start == 0 && index > 0 && text.charAt(0) == '\uFEFF' ? 1 : start;
  }

  /** Where the line holding {@code index} ends: after its line break ("\r\n" is one). */
  private static int lineEnd(String text, int index) {
    if (index > 0 && isBreak(text.charAt(index - 1))) {
      boolean crlf =
          index < text.length() && text.charAt(index - 1) == '\r' && text.charAt(index) == '\n';
      return crlf ? index + 1 : index;
    }
    for (int i = index; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isBreak(c)) {
        return c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      }
    }
    return text.length();
  }

  /** One list item (or a whole list at indent 0) as block YAML, each line indented. */
  private static String dump(Node node, int indent) {
    Node list =
        node instanceof SequenceNode
            ? node
            : new SequenceNode(Tag.SEQ, List.of(node), FlowStyle.BLOCK);
    StringBuilder out = new StringBuilder();
    new Dump(holdsUnreadable(list) ? DUMP_ESCAPED : DUMP)
        .dumpNode(
            list,
            new StreamDataWriter() {
              @Override
              public void write(String str) {
                out.append(str);
              }

              @Override
              public void write(String str, int off, int len) {
                out.append(str, off, off + len);
              }
            });
    String pad = " ".repeat(indent);
    StringBuilder indented = new StringBuilder();
    for (String line : out.toString().split("\n", -1)) {
      if (!line.isEmpty()) {
        indented.append(pad).append(line).append('\n');
      }
    }
    return indented.toString();
  }

  /**
   * Whether a scalar in the node holds a character that must not be written as itself: a line break
   * to YAML 1.1, or one that is invisible or not text ({@link Names#isForbidden}).
   */
  private static boolean holdsUnreadable(Node root) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Node> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n)) {
        continue;
      }
      if (n instanceof ScalarNode scalar) {
        String v = scalar.getValue();
        for (int i = 0; i < v.length(); ) {
          int cp = v.codePointAt(i);
          if (Names.isForbidden(cp) && cp != '\n' && cp != '\t') {
            return true;
          }
          i += Character.charCount(cp);
        }
      } else if (n instanceof SequenceNode seq) {
        todo.addAll(seq.getValue());
      } else if (n instanceof MappingNode map) {
        for (NodeTuple t : map.getValue()) {
          todo.push(t.getKeyNode());
          todo.push(t.getValueNode());
        }
      }
    }
    return false;
  }
}
