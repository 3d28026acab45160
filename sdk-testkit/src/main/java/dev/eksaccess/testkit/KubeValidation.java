package dev.eksaccess.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * kube-apiserver v1.20's defaulting and validation of the kinds {@link FakeKubeApi} serves, with
 * its field errors word for word (k8s.io/apimachinery {@code util/validation} and {@code
 * field/errors.go}, {@code pkg/apis/core/validation}, {@code pkg/apis/rbac/validation}).
 */
final class KubeValidation {
  private KubeValidation() {}

  /** ConfigMaps and Secrets may hold at most this many bytes of values (core.MaxSecretSize). */
  static final int MAX_CONFIG_MAP_BYTES = 1024 * 1024;

  private static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;
  static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /** One field error, as {@code field.Error} prints it. */
  record FieldError(String type, String field, @Nullable String value, String detail) {
    /** The message without the field, as {@code ErrorBody()}. */
    String body() {
      String s;
      switch (type) {
        case "FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong", "InternalError" ->
            s = typeText();
        default -> s = typeText() + ": " + (value == null ? "null" : value);
      }
      return detail.isEmpty() ? s : s + ": " + detail;
    }

    /** The message with the field, as {@code Error()}. */
    String message() {
      return field + ": " + body();
    }

    private String typeText() {
      return switch (type) {
        case "FieldValueNotFound" -> "Not found";
        case "FieldValueRequired" -> "Required value";
        case "FieldValueDuplicate" -> "Duplicate value";
        case "FieldValueInvalid" -> "Invalid value";
        case "FieldValueNotSupported" -> "Unsupported value";
        case "FieldValueForbidden" -> "Forbidden";
        case "FieldValueTooLong" -> "Too long";
        case "FieldValueTooMany" -> "Too many";
        default -> "Internal error";
      };
    }

    static FieldError required(String field, String detail) {
      return new FieldError("FieldValueRequired", field, null, detail);
    }

    static FieldError invalid(String field, String renderedValue, String detail) {
      return new FieldError("FieldValueInvalid", field, renderedValue, detail);
    }

    static FieldError notSupported(String field, String value, String... supported) {
      List<String> quoted = new ArrayList<>();
      for (String s : supported) {
        quoted.add(quote(s));
      }
      return new FieldError(
          "FieldValueNotSupported",
          field,
          quote(value),
          quoted.isEmpty() ? "" : "supported values: " + String.join(", ", quoted));
    }

    static FieldError forbidden(String field, String detail) {
      return new FieldError("FieldValueForbidden", field, null, detail);
    }

    static FieldError tooLong(String field, int max) {
      return new FieldError(
          "FieldValueTooLong", field, null, "must have at most " + max + " bytes");
    }
  }

  /** Go's {@code %q} of a string. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Go's {@code %#v} of a {@code []string}. */
  static String goStrings(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(quote(n.asText())));
    return "[]string{" + String.join(", ", items) + "}";
  }

  // ---- name checks (each returns the messages, empty when valid)

  static List<String> dnsSubdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add("must be no more than 253 characters");
    }
    if (!SUBDOMAIN.matcher(value).matches()) {
      errs.add(
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character (e.g."
              + " 'example.com', regex used for validation is"
              + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
    return errs;
  }

  static List<String> dnsLabel(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS_LABEL.matcher(value).matches()) {
      errs.add(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
              + " and must start and end with an alphanumeric character (e.g. 'my-name',  or"
              + " '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }
    return errs;
  }

  static List<String> pathSegment(String name) {
    if (name.equals(".") || name.equals("..")) {
      return List.of("may not be '" + name + "'");
    }
    List<String> errs = new ArrayList<>();
    for (String bad : List.of("/", "%")) {
      if (name.contains(bad)) {
        errs.add("may not contain '" + bad + "'");
      }
    }
    return errs;
  }

  private static final String QUALIFIED_NAME_RULE =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";
  private static final String QUALIFIED_NAME_EXAMPLES =
      " (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is"
          + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        for (String m : dnsSubdomain(prefix)) {
          errs.add("prefix part " + m);
        }
      }
    } else {
      errs.add(
          "a qualified name "
              + QUALIFIED_NAME_RULE
              + QUALIFIED_NAME_EXAMPLES
              + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + QUALIFIED_NAME_RULE + QUALIFIED_NAME_EXAMPLES);
    }
    return errs;
  }

  static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_'"
              + " or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', "
              + " or 'my_value',  or '12345', regex used for validation is"
              + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    return errs;
  }

  static List<String> configMapKey(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add("must be no more than 253 characters");
    }
    if (!CONFIG_KEY.matcher(value).matches()) {
      errs.add(
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g."
              + " 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is"
              + " '[-._a-zA-Z0-9]+')");
    }
    if (value.equals(".")) {
      errs.add("must not be '.'");
    } else if (value.equals("..")) {
      errs.add("must not be '..'");
    } else if (value.startsWith("..")) {
      errs.add("must not start with '..'");
    }
    return errs;
  }

  // ---- object metadata

  /**
   * The name rule of each kind: ConfigMaps DNS subdomains, RBAC path segments, Namespaces labels.
   */
  static List<String> nameErrors(String kind, String name) {
    return switch (kind) {
      case "ConfigMap" -> dnsSubdomain(name);
      case "Namespace" -> dnsLabel(name);
      default -> pathSegment(name);
    };
  }

  private static void objectMeta(
      String kind, JsonNode meta, boolean namespaced, List<FieldError> e) {
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      e.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      for (String m : nameErrors(kind, name)) {
        e.add(FieldError.invalid("metadata.name", quote(name), m));
      }
    }
    String namespace = meta.path("namespace").asText("");
    if (namespaced) {
      if (namespace.isEmpty()) {
        e.add(FieldError.required("metadata.namespace", ""));
      } else {
        for (String m : dnsLabel(namespace)) {
          e.add(FieldError.invalid("metadata.namespace", quote(namespace), m));
        }
      }
    } else if (!namespace.isEmpty()) {
      e.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
    }
    labelsAndAnnotations(meta, e);
  }

  private static void labelsAndAnnotations(JsonNode meta, List<FieldError> e) {
    for (Map.Entry<String, JsonNode> l : sorted(meta.path("labels")).entrySet()) {
      for (String m : qualifiedName(l.getKey())) {
        e.add(FieldError.invalid("metadata.labels", quote(l.getKey()), m));
      }
      for (String m : labelValue(l.getValue().asText())) {
        e.add(FieldError.invalid("metadata.labels", quote(l.getValue().asText()), m));
      }
    }
    long size = 0;
    for (Map.Entry<String, JsonNode> a : sorted(meta.path("annotations")).entrySet()) {
      for (String m : qualifiedName(a.getKey().toLowerCase(java.util.Locale.ROOT))) {
        e.add(FieldError.invalid("metadata.annotations", quote(a.getKey()), m));
      }
      size += utf8(a.getKey()) + utf8(a.getValue().asText());
    }
    if (size > ANNOTATIONS_MAX_BYTES) {
      e.add(FieldError.tooLong("metadata.annotations", ANNOTATIONS_MAX_BYTES));
    }
  }

  private static Map<String, JsonNode> sorted(JsonNode object) {
    Map<String, JsonNode> out = new TreeMap<>();
    object.properties().forEach(p -> out.put(p.getKey(), p.getValue()));
    return out;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  // ---- defaulting

  /** What the API server sets before validation: RBAC API groups, a Namespace's finalizer. */
  static void applyDefaults(String kind, ObjectNode o) {
    switch (kind) {
      case "RoleBinding", "ClusterRoleBinding" -> {
        // the roleRef is a struct, never absent: its API group is defaulted even when not sent
        ObjectNode ref = o.withObjectProperty("roleRef");
        if (ref.path("apiGroup").asText("").isEmpty()) {
          ref.put("apiGroup", RBAC_GROUP);
        }
        if (o.path("subjects") instanceof ArrayNode subjects) {
          for (JsonNode s : subjects) {
            if (s instanceof ObjectNode subject
                && subject.path("apiGroup").asText("").isEmpty()
                && List.of("User", "Group").contains(subject.path("kind").asText(""))) {
              subject.put("apiGroup", RBAC_GROUP);
            }
          }
        }
      }
      case "Namespace" -> {
        if (!o.path("spec").has("finalizers")) {
          o.withObjectProperty("spec").putArray("finalizers").add("kubernetes");
        }
        o.withObjectProperty("status").put("phase", "Active");
      }
      default -> {
        // ConfigMaps, Roles and ClusterRoles have no defaults that matter here
      }
    }
  }

  // ---- validation of each kind

  /** The errors of a create, in the API server's order. */
  static List<FieldError> create(String kind, JsonNode o) {
    List<FieldError> e = new ArrayList<>();
    switch (kind) {
      case "ConfigMap" -> configMap(o, e);
      case "Namespace" -> objectMeta(kind, o.path("metadata"), false, e);
      case "Role" -> role(o, true, e);
      case "ClusterRole" -> role(o, false, e);
      case "RoleBinding" -> binding(o, true, e);
      case "ClusterRoleBinding" -> binding(o, false, e);
      default -> throw new IllegalArgumentException(kind);
    }
    return e;
  }

  /**
   * The errors of an update: RBAC kinds validate the new object twice (once in the strategy, once
   * in their update validation) before the metadata and roleRef checks, so each error appears twice
   * among the causes (the message lists it once); a ConfigMap checks its metadata update, its
   * immutability, then the object.
   */
  static List<FieldError> update(String kind, JsonNode now, JsonNode old) {
    List<FieldError> e = new ArrayList<>();
    switch (kind) {
      case "ConfigMap" -> {
        labelsAndAnnotations(now.path("metadata"), e);
        if (old.path("immutable").asBoolean(false)) {
          if (!now.path("immutable").asBoolean(false)) {
            e.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
          }
          if (!now.path("data").equals(old.path("data"))) {
            e.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
          }
          if (!now.path("binaryData").equals(old.path("binaryData"))) {
            e.add(FieldError.forbidden("binaryData", "field is immutable when `immutable` is set"));
          }
        }
        configMap(now, e);
      }
      case "Namespace" -> {
        e.addAll(create(kind, now));
        labelsAndAnnotations(now.path("metadata"), e);
      }
      default -> {
        e.addAll(create(kind, now));
        e.addAll(create(kind, now));
        labelsAndAnnotations(now.path("metadata"), e);
        if (kind.endsWith("Binding") && !now.path("roleRef").equals(old.path("roleRef"))) {
          JsonNode r = now.path("roleRef");
          e.add(
              FieldError.invalid(
                  "roleRef",
                  "rbac.RoleRef{APIGroup:"
                      + quote(r.path("apiGroup").asText(""))
                      + ", Kind:"
                      + quote(r.path("kind").asText(""))
                      + ", Name:"
                      + quote(r.path("name").asText(""))
                      + "}",
                  "cannot change roleRef"));
        }
      }
    }
    return e;
  }

  private static void configMap(JsonNode o, List<FieldError> e) {
    objectMeta("ConfigMap", o.path("metadata"), true, e);
    long total = 0;
    for (Map.Entry<String, JsonNode> d : sorted(o.path("data")).entrySet()) {
      String key = d.getKey();
      for (String m : configMapKey(key)) {
        e.add(FieldError.invalid("data[" + key + "]", quote(key), m));
      }
      if (o.path("binaryData").has(key)) {
        e.add(
            FieldError.invalid(
                "data[" + key + "]", quote(key), "duplicate of key present in binaryData"));
      }
      total += utf8(d.getValue().asText());
    }
    for (Map.Entry<String, JsonNode> d : sorted(o.path("binaryData")).entrySet()) {
      for (String m : configMapKey(d.getKey())) {
        e.add(FieldError.invalid("binaryData[" + d.getKey() + "]", quote(d.getKey()), m));
      }
      total += decodedLength(d.getValue().asText());
    }
    if (total > MAX_CONFIG_MAP_BYTES) {
      e.add(FieldError.tooLong("[]", MAX_CONFIG_MAP_BYTES));
    }
  }

  private static int decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException notBase64) {
      return base64.length();
    }
  }

  private static void role(JsonNode o, boolean namespaced, List<FieldError> e) {
    objectMeta(namespaced ? "Role" : "ClusterRole", o.path("metadata"), namespaced, e);
    int i = 0;
    for (JsonNode rule : o.path("rules")) {
      String at = "rules[" + i++ + "]";
      if (rule.path("verbs").isEmpty()) {
        e.add(FieldError.required(at + ".verbs", "verbs must contain at least one value"));
      }
      JsonNode urls = rule.path("nonResourceURLs");
      if (!urls.isEmpty()) {
        if (namespaced) {
          e.add(
              FieldError.invalid(
                  at + ".nonResourceURLs",
                  goStrings(urls),
                  "namespaced rules cannot apply to non-resource URLs"));
        }
        if (!rule.path("apiGroups").isEmpty()
            || !rule.path("resources").isEmpty()
            || !rule.path("resourceNames").isEmpty()) {
          e.add(
              FieldError.invalid(
                  at + ".nonResourceURLs",
                  goStrings(urls),
                  "rules cannot apply to both regular resources and non-resource URLs"));
        }
        continue;
      }
      if (rule.path("apiGroups").isEmpty()) {
        e.add(
            FieldError.required(
                at + ".apiGroups", "resource rules must supply at least one api group"));
      }
      if (rule.path("resources").isEmpty()) {
        e.add(
            FieldError.required(
                at + ".resources", "resource rules must supply at least one resource"));
      }
    }
    JsonNode aggregation = o.path("aggregationRule");
    if (!namespaced && aggregation.isObject()) {
      if (aggregation.path("clusterRoleSelectors").isEmpty()) {
        e.add(
            FieldError.required(
                "aggregationRule.clusterRoleSelectors",
                "at least one clusterRoleSelector required if aggregationRule is non-nil"));
      }
    }
  }

  private static void binding(JsonNode o, boolean namespaced, List<FieldError> e) {
    objectMeta(
        namespaced ? "RoleBinding" : "ClusterRoleBinding", o.path("metadata"), namespaced, e);
    JsonNode ref = o.path("roleRef");
    String group = ref.path("apiGroup").asText("");
    if (!group.equals(RBAC_GROUP)) {
      e.add(FieldError.notSupported("roleRef.apiGroup", group, RBAC_GROUP));
    }
    String kind = ref.path("kind").asText("");
    if (namespaced ? !Set.of("Role", "ClusterRole").contains(kind) : !kind.equals("ClusterRole")) {
      e.add(
          namespaced
              ? FieldError.notSupported("roleRef.kind", kind, "Role", "ClusterRole")
              : FieldError.notSupported("roleRef.kind", kind, "ClusterRole"));
    }
    String name = ref.path("name").asText("");
    if (name.isEmpty()) {
      e.add(FieldError.required("roleRef.name", ""));
    } else {
      for (String m : pathSegment(name)) {
        e.add(FieldError.invalid("roleRef.name", quote(name), m));
      }
    }
    int i = 0;
    for (JsonNode s : o.path("subjects")) {
      subject(s, namespaced, "subjects[" + i++ + "]", e);
    }
  }

  private static void subject(JsonNode s, boolean namespaced, String at, List<FieldError> e) {
    String name = s.path("name").asText("");
    String group = s.path("apiGroup").asText("");
    if (name.isEmpty()) {
      e.add(FieldError.required(at + ".name", ""));
    }
    switch (s.path("kind").asText("")) {
      case "ServiceAccount" -> {
        if (!name.isEmpty()) {
          for (String m : dnsSubdomain(name)) {
            e.add(FieldError.invalid(at + ".name", quote(name), m));
          }
        }
        if (!group.isEmpty()) {
          e.add(FieldError.notSupported(at + ".apiGroup", group, ""));
        }
        if (!namespaced && s.path("namespace").asText("").isEmpty()) {
          e.add(FieldError.required(at + ".namespace", ""));
        }
      }
      case "User", "Group" -> {
        if (!group.equals(RBAC_GROUP)) {
          e.add(FieldError.notSupported(at + ".apiGroup", group, RBAC_GROUP));
        }
      }
      default ->
          e.add(
              FieldError.notSupported(
                  at + ".kind", s.path("kind").asText(""), "ServiceAccount", "User", "Group"));
    }
  }

  /** The message of a list of errors, as {@code ErrorList.ToAggregate()}: each distinct once. */
  static String aggregate(List<FieldError> errors) {
    Set<String> messages = new LinkedHashSet<>();
    for (FieldError f : errors) {
      messages.add(f.message());
    }
    return messages.size() == 1
        ? messages.iterator().next()
        : "[" + String.join(", ", messages) + "]";
  }
}
