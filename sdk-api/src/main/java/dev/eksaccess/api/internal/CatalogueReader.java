package dev.eksaccess.api.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eksaccess.api.AccessPolicy;
import dev.eksaccess.api.AccessPolicyCatalogue;
import dev.eksaccess.api.ErrorCode;
import dev.eksaccess.api.InvalidInputException;
import dev.eksaccess.api.spi.PolicyRule;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the access-policy catalogue ({@code eks-access/access-policy-catalogue/v1}) with Jackson's
 * streaming parser, strictly: an unknown field, a missing one or a malformed rule is an error that
 * names where it is, so a typo in the data cannot silently drop a rule.
 */
public final class CatalogueReader {
  static final String SCHEMA = "eks-access/access-policy-catalogue/v1";
  private static final JsonFactory JSON = new JsonFactory();

  private CatalogueReader() {}

  /**
   * A read catalogue.
   *
   * @param version the catalogue version
   * @param checkedOn when it was last checked as a whole
   * @param entries the entries by policy name, sorted by name
   */
  public record Catalogue(
      String version, LocalDate checkedOn, Map<String, AccessPolicyCatalogue.Entry> entries) {
    /** Copies the entries. */
    public Catalogue {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }

  /**
   * Reads a catalogue.
   *
   * @param in the JSON document
   * @return the catalogue
   * @throws InvalidInputException ({@link ErrorCode#INVALID_ARGUMENT}) naming the first bad value
   * @throws IOException if reading fails
   */
  public static Catalogue read(InputStream in) throws IOException {
    try (JsonParser p = JSON.createParser(in)) {
      return document(p);
    } catch (JsonParseException e) {
      throw bad("catalogue", null, "is not JSON: " + e.getOriginalMessage() + ".");
    }
  }

  private static Catalogue document(JsonParser p) throws IOException {
    expect(p, p.nextToken(), JsonToken.START_OBJECT, "catalogue");
    @Nullable String schema = null;
    @Nullable String version = null;
    @Nullable LocalDate checkedOn = null;
    @Nullable Map<String, AccessPolicyCatalogue.Entry> entries = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "schema" -> schema = text(p, t, "schema");
        case "version" -> version = text(p, t, "version");
        case "checkedOn" -> checkedOn = date(p, t, "checkedOn");
        case "note" -> text(p, t, "note");
        case "policies" -> entries = policies(p, t);
        default -> throw unknownField("catalogue", field);
      }
    }
    if (!SCHEMA.equals(schema)) {
      throw bad("schema", schema, "must be " + SCHEMA + ".");
    }
    return new Catalogue(
        required(version, "version"),
        required(checkedOn, "checkedOn"),
        required(entries, "policies"));
  }

  private static Map<String, AccessPolicyCatalogue.Entry> policies(JsonParser p, JsonToken t)
      throws IOException {
    expect(p, t, JsonToken.START_ARRAY, "policies");
    Map<String, AccessPolicyCatalogue.Entry> out = new TreeMap<>();
    int i = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = "policies[" + i++ + "]";
      AccessPolicyCatalogue.Entry e = policy(p, t, at);
      if (out.put(e.policy().name(), e) != null) {
        throw bad(at + ".name", e.policy().name(), "appears twice; each policy is listed once.");
      }
    }
    return out;
  }

  private static AccessPolicyCatalogue.Entry policy(JsonParser p, JsonToken t, String at)
      throws IOException {
    expect(p, t, JsonToken.START_OBJECT, at);
    @Nullable String name = null;
    @Nullable String arn = null;
    @Nullable String description = null;
    @Nullable String source = null;
    @Nullable LocalDate checkedOn = null;
    Optional<List<PolicyRule>> rules = Optional.empty();
    boolean rulesGiven = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String where = at + "." + field;
      switch (field) {
        case "name" -> name = text(p, v, where);
        case "arn" -> arn = text(p, v, where);
        case "description" -> description = text(p, v, where);
        case "source" -> source = text(p, v, where);
        case "checkedOn" -> checkedOn = date(p, v, where);
        case "rules" -> {
          rulesGiven = true;
          rules = v == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(rules(p, v, where));
        }
        default -> throw unknownField(at, field);
      }
    }
    if (!rulesGiven) {
      throw bad(
          at + ".rules",
          null,
          "is missing; give the documented rules, or null when AWS documents none.");
    }
    String n = required(name, at + ".name");
    AccessPolicy policy;
    try {
      policy = AccessPolicy.named(n);
    } catch (InvalidInputException e) {
      throw bad(at + ".name", n, "is not an access policy name.");
    }
    String a = required(arn, at + ".arn");
    String d = required(description, at + ".description");
    String s = required(source, at + ".source");
    LocalDate c = required(checkedOn, at + ".checkedOn");
    try {
      return new AccessPolicyCatalogue.Entry(policy, a, d, rules, s, c);
    } catch (InvalidInputException e) {
      throw bad(at + ".arn", arn, "is not the ARN of " + n + ".");
    }
  }

  private static List<PolicyRule> rules(JsonParser p, JsonToken t, String at) throws IOException {
    expect(p, t, JsonToken.START_ARRAY, at);
    List<PolicyRule> out = new ArrayList<>();
    int i = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      out.add(rule(p, t, at + "[" + i++ + "]"));
    }
    if (out.isEmpty()) {
      throw bad(at, "[]", "is empty; write null when AWS documents no rules.");
    }
    return out;
  }

  private static PolicyRule rule(JsonParser p, JsonToken t, String at) throws IOException {
    expect(p, t, JsonToken.START_OBJECT, at);
    List<String> groups = List.of();
    List<String> resources = List.of();
    List<String> urls = List.of();
    List<String> verbs = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String where = at + "." + field;
      switch (field) {
        case "apiGroups" -> groups = strings(p, v, where);
        case "resources" -> resources = strings(p, v, where);
        case "nonResourceURLs" -> urls = strings(p, v, where);
        case "verbs" -> verbs = strings(p, v, where);
        default -> throw unknownField(at, field);
      }
    }
    if (!resources.isEmpty() && groups.isEmpty()) {
      throw bad(at + ".apiGroups", null, "is missing; a resource rule names its API groups.");
    }
    try {
      return new PolicyRule(groups, resources, List.of(), urls, verbs);
    } catch (InvalidInputException e) {
      throw bad(at, null, e.problems().get(0).message());
    }
  }

  private static List<String> strings(JsonParser p, JsonToken t, String at) throws IOException {
    expect(p, t, JsonToken.START_ARRAY, at);
    List<String> out = new ArrayList<>();
    int i = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      out.add(text(p, t, at + "[" + i++ + "]"));
    }
    return out;
  }

  private static String text(JsonParser p, JsonToken t, String at) throws IOException {
    expect(p, t, JsonToken.VALUE_STRING, at);
    return p.getText();
  }

  private static LocalDate date(JsonParser p, JsonToken t, String at) throws IOException {
    String s = text(p, t, at);
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw bad(at, s, "is not a date such as 2026-12-07.");
    }
  }

  private static void expect(JsonParser p, @Nullable JsonToken t, JsonToken want, String at)
      throws IOException {
    if (t != want) {
      throw bad(
          at,
          t == null ? null : p.getText(),
          "must be "
              + switch (want) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> "a string";
              }
              + ".");
    }
  }

  private static <T> T required(@Nullable T value, String at) {
    if (value == null) {
      throw bad(at, null, "is missing.");
    }
    return value;
  }

  private static InvalidInputException unknownField(String at, String field) {
    return bad(at + "." + field, null, "is not a catalogue field; check its spelling.");
  }

  private static InvalidInputException bad(String at, @Nullable String value, String message) {
    return InvalidInputException.of(ErrorCode.INVALID_ARGUMENT, at, value, message);
  }
}
