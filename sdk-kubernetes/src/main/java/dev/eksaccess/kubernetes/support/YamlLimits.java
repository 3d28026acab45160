package dev.eksaccess.kubernetes.support;

import dev.eksaccess.api.support.BackendSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The limits every YAML reader of eks-access sets, so that no input can exhaust the stack or
 * memory: nesting depth (snakeyaml-engine composes and constructs recursively and has no limit of
 * its own), aliases to collections (snakeyaml-engine's own limit, set explicitly), and aliases to a
 * collection from inside it (a recursive structure, which Kubernetes' and EKS's YAML reader refuses
 * too, and which would send any walk over it round in circles).
 *
 * <p>Breaking a limit raises a {@link org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException}
 * with where it happened, as a syntax error does, so callers report both alike.
 */
@BackendSupport
public final class YamlLimits {
  /**
   * The deepest nesting read: far beyond any Kubernetes object or aws-auth section (a few levels),
   * far below what exhausts a thread's stack.
   */
  public static final int MAX_DEPTH = 100;

  /** Aliases to collections per document (snakeyaml-engine's default, set explicitly). */
  public static final int MAX_COLLECTION_ALIASES = 50;

  private YamlLimits() {}

  /**
   * Load settings with the limits, for reading {@code text}.
   *
   * @param label the source to name in errors
   * @param text the YAML that will be read: the reader's buffer holds all of it, because
   *     snakeyaml-engine's reader fails with {@link IndexOutOfBoundsException} when a surrogate
   *     pair (an emoji) straddles the end of a smaller buffer
   * @return the settings
   */
  public static LoadSettings settings(String label, String text) {
    return LoadSettings.builder()
        .setLabel(label)
        .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
        .setAllowRecursiveKeys(false)
        .setBufferSize(Math.max(1024, text.length() + 1))
        .build();
  }

  /**
   * A parser over {@code text} that refuses nesting deeper than {@link #MAX_DEPTH} and aliases to
   * an enclosing collection.
   *
   * @param settings the settings, from {@link #settings(String, String)}
   * @param text the YAML
   * @return the parser, for a {@link Composer}
   */
  public static Parser parser(LoadSettings settings, String text) {
    return new Bounded(new ParserImpl(settings, new StreamReader(settings, text)));
  }

  /**
   * Every document of {@code text} as Java objects (maps, lists, scalars; null for an empty
   * document), within the limits.
   *
   * @param label the source to name in errors
   * @param text the YAML
   * @return the documents, in order
   * @throws YamlEngineException if the text is not YAML or breaks a limit
   */
  public static List<Object> loadAll(String label, String text) {
    LoadSettings settings = settings(label, text);
    Composer composer = new Composer(settings, parser(settings, text));
    List<Object> all = new ArrayList<>();
    while (composer.hasNext()) {
      Node node = composer.next();
      all.add(new StandardConstructor(settings).constructSingleDocument(Optional.of(node)));
    }
    return all;
  }

  /**
   * The single document of {@code text} (null when there is none), within the limits.
   *
   * @param label the source to name in errors
   * @param text the YAML
   * @return the document
   * @throws YamlEngineException if the text is not YAML, holds more than one document, or breaks a
   *     limit
   */
  public static Object loadOne(String label, String text) {
    LoadSettings settings = settings(label, text);
    Optional<Node> node = new Composer(settings, parser(settings, text)).getSingleNode();
    return new StandardConstructor(settings).constructSingleDocument(node);
  }

  /** Counts open collections and remembers which anchors are open, as events are consumed. */
  private static final class Bounded implements Parser {
    private final Parser delegate;
    private final Deque<Object> open = new ArrayDeque<>(); // one token per open collection
    private final Map<Anchor, Object> latest = new HashMap<>(); // anchor → its last definition

    Bounded(Parser delegate) {
      this.delegate = delegate;
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
      Event event = delegate.next();
      if (event instanceof AliasEvent alias) {
        Object definition = latest.get(alias.getAlias());
        if (definition != null && open.contains(definition)) {
          throw new ComposerException(
              "while reading an alias",
              event.getStartMark(),
              "*"
                  + alias.getAlias().getValue()
                  + " refers to a collection that contains it, a structure without end",
              event.getStartMark());
        }
      } else if (event instanceof CollectionStartEvent start) {
        if (open.size() >= MAX_DEPTH) {
          throw new ComposerException(
              "while reading a collection",
              event.getStartMark(),
              "it nests deeper than " + MAX_DEPTH + " levels",
              event.getStartMark());
        }
        Object definition = new Object();
        open.push(definition);
        start.getAnchor().ifPresent(a -> latest.put(a, definition));
      } else if (event.getEventId() == Event.ID.SequenceEnd
          || event.getEventId() == Event.ID.MappingEnd) {
        open.poll();
      } else if (event instanceof NodeEvent node) {
        node.getAnchor().ifPresent(a -> latest.put(a, new Object())); // a scalar: never open
      }
      return event;
    }
  }
}
