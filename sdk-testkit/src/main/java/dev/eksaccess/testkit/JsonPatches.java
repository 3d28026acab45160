package dev.eksaccess.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as kube-apiserver applies them to an
 * object. A strategic merge patch of the kinds {@link FakeKubeApi} serves is a merge patch: none of
 * their lists has a merge key (rules, subjects and selectors are replaced whole).
 */
final class JsonPatches {
  private JsonPatches() {}

  /** A patch that cannot be applied; the API server answers 422 without saying why. */
  static final class PatchFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    PatchFailedException(String message) {
      super(message);
    }
  }

  /** RFC 7386: objects merge, null removes, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!(patch instanceof ObjectNode p)) {
      return patch.deepCopy();
    }
    ObjectNode out = target instanceof ObjectNode t ? t.deepCopy() : p.objectNode();
    p.properties()
        .forEach(
            e -> {
              if (e.getValue().isNull()) {
                out.remove(e.getKey());
              } else {
                JsonNode now = out.get(e.getKey());
                out.set(e.getKey(), merge(now == null ? p.nullNode() : now, e.getValue()));
              }
            });
    return out;
  }

  /** RFC 6902: each operation in order; any failure fails the whole patch. */
  static JsonNode apply(JsonNode target, JsonNode patch) throws PatchFailedException {
    if (!(patch instanceof ArrayNode ops)) {
      throw new PatchFailedException("a JSON patch is an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : ops) {
      String path = op.path("path").asText(null);
      if (path == null) {
        throw new PatchFailedException("an operation has no path");
      }
      switch (op.path("op").asText("")) {
        case "add" -> doc = add(doc, path, value(op));
        case "remove" -> {
          get(doc, path);
          doc = remove(doc, path);
        }
        case "replace" -> {
          get(doc, path);
          doc = add(remove(doc, path), path, value(op));
        }
        case "move" -> {
          String from = from(op);
          JsonNode v = get(doc, from);
          doc = add(remove(doc, from), path, v);
        }
        case "copy" -> doc = add(doc, path, get(doc, from(op)).deepCopy());
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw new PatchFailedException("testing value " + path + " failed");
          }
        }
        default -> throw new PatchFailedException("unknown operation " + op.path("op"));
      }
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) throws PatchFailedException {
    JsonNode v = op.get("value");
    if (v == null) {
      throw new PatchFailedException("an operation has no value");
    }
    return v;
  }

  private static String from(JsonNode op) throws PatchFailedException {
    String from = op.path("from").asText(null);
    if (from == null) {
      throw new PatchFailedException("an operation has no from");
    }
    return from;
  }

  private static List<String> tokens(String pointer) throws PatchFailedException {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw new PatchFailedException("a path starts with /: " + pointer);
    }
    List<String> out = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String pointer) throws PatchFailedException {
    JsonNode at = doc;
    for (String t : tokens(pointer)) {
      at = child(at, t);
      if (at == null) {
        throw new PatchFailedException("no such path: " + pointer);
      }
    }
    return at;
  }

  private static @Nullable JsonNode child(JsonNode node, String token) {
    if (node instanceof ObjectNode o) {
      return o.get(token);
    }
    if (node instanceof ArrayNode a && token.matches("0|[1-9][0-9]*")) {
      int i = Integer.parseInt(token);
      return i < a.size() ? a.get(i) : null;
    }
    return null;
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value)
      throws PatchFailedException {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      return value.deepCopy();
    }
    JsonNode parent = get(doc, parentOf(pointer));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value.deepCopy());
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value.deepCopy());
      } else if (last.matches("0|[1-9][0-9]*") && Integer.parseInt(last) <= a.size()) {
        a.insert(Integer.parseInt(last), value.deepCopy());
      } else {
        throw new PatchFailedException("no such index: " + pointer);
      }
    } else {
      throw new PatchFailedException("no such path: " + pointer);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String pointer) throws PatchFailedException {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      throw new PatchFailedException("the whole object cannot be removed");
    }
    JsonNode parent = get(doc, parentOf(pointer));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a
        && last.matches("0|[1-9][0-9]*")
        && Integer.parseInt(last) < a.size()) {
      a.remove(Integer.parseInt(last));
    } else {
      throw new PatchFailedException("no such path: " + pointer);
    }
    return doc;
  }

  private static String parentOf(String pointer) {
    return pointer.substring(0, pointer.lastIndexOf('/'));
  }
}
