package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The intent a reviewed plan carries in its JSON (grants and revokes), written and read back, so
 * that a plan approved in one process can be re-planned and applied in another.
 */
final class PlanJson {
  static final String SCHEMA = "eks-access/plan/v1";
  private static final JsonFactory FACTORY = new JsonFactory();

  private PlanJson() {}

  /** Writes changes as a named array of objects: layer, action, object, details. */
  static void writeChanges(JsonGenerator json, String field, List<Change> changes)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (Change c : changes) {
      json.writeStartObject();
      json.writeStringField("layer", c.layer().name());
      json.writeStringField("action", c.action().name());
      json.writeStringField("object", c.object());
      json.writeArrayFieldStart("details");
      for (String d : c.details()) {
        json.writeString(d);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Writes the intent's fields; refuses what a reviewed plan cannot carry. */
  static void writeIntent(JsonGenerator json, Plan.Intent intent) throws IOException {
    json.writeObjectFieldStart("intent");
    if (!intent.breakGlass().isEmpty() || intent.expireAt() != null) {
      json.writeBooleanField("breakGlass", true);
    }
    json.writeArrayFieldStart("grants");
    for (Grant g : intent.grants()) {
      json.writeStartObject();
      json.writeStringField("principal", g.principal().arn().value());
      if (g.subject().username().isPresent()) {
        json.writeStringField("username", g.subject().username().get());
      }
      json.writeArrayFieldStart("groups");
      for (String group : g.subject().groups()) {
        json.writeString(group);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("bindings");
      for (Binding b : g.bindings()) {
        json.writeStartObject();
        Bindable target = b.target();
        if (target instanceof ClusterRole c) {
          json.writeStringField("clusterRole", c.name());
        } else if (target instanceof Role r) {
          json.writeStringField("role", r.name());
          json.writeStringField("roleNamespace", r.namespace());
        } else if (target instanceof AccessPolicy p) {
          json.writeStringField("accessPolicy", p.name());
        } else {
          json.writeStringField("unsupported", target.toString());
        }
        json.writeArrayFieldStart("namespaces");
        for (String ns : b.scope().namespaces()) {
          json.writeString(ns);
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("revokes");
    for (Principal p : intent.revokes()) {
      json.writeString(p.arn().value());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("partialRevokes");
    for (PartialRevoke r : intent.partialRevokes()) {
      json.writeStartObject();
      json.writeStringField("principal", r.principal().arn().value());
      json.writeStringField("kind", r.kind().name());
      if (r.kind() == PartialRevoke.Kind.GROUP) {
        json.writeStringField("group", r.group());
      } else if (r.target() instanceof Role role) {
        json.writeStringField("role", role.name());
        json.writeStringField("roleNamespace", role.namespace());
      } else if (r.target() instanceof ClusterRole c) {
        json.writeStringField("clusterRole", c.name());
      } else if (r.target() instanceof AccessPolicy p) {
        json.writeStringField("accessPolicy", p.name());
      }
      if (r.scope().isPresent()) {
        json.writeArrayFieldStart("namespaces"); // empty: cluster-wide; absent: everywhere
        for (String ns : r.scope().get().namespaces()) {
          json.writeString(ns);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static PartialRevoke partialRevoke(Map<String, Object> r, String at) {
    Principal principal = principal(string(r.get("principal"), at + ".principal"));
    String kind = string(r.get("kind"), at + ".kind");
    Optional<Scope> scope = Optional.empty();
    if (r.get("namespaces") != null) {
      List<String> namespaces = new ArrayList<>();
      for (Object ns : list(r.get("namespaces"), at + ".namespaces")) {
        namespaces.add(string(ns, at + ".namespaces"));
      }
      scope = Optional.of(new Scope(namespaces));
    }
    PartialRevoke.WhatStep what = ClusterAccess.revoke(principal);
    if (kind.equals("GROUP")) {
      return what.group(string(r.get("group"), at + ".group"));
    }
    if (kind.equals("BINDING") && r.get("role") != null) {
      return what.binding(new Role(string(r.get("roleNamespace"), at), string(r.get("role"), at)));
    }
    PartialRevoke.ScopeStep where =
        switch (kind) {
          case "BINDING" ->
              what.binding(ClusterRole.named(string(r.get("clusterRole"), at + ".clusterRole")));
          case "ACCESS_POLICY" ->
              what.accessPolicy(
                  AccessPolicy.named(string(r.get("accessPolicy"), at + ".accessPolicy")));
          default -> throw bad(at + ".kind", kind, "is not GROUP, BINDING or ACCESS_POLICY.");
        };
    if (scope.isEmpty()) {
      return where.everywhere();
    }
    List<String> ns = scope.get().namespaces();
    return ns.isEmpty()
        ? where.clusterWide()
        : where.inNamespaces(ns.get(0), ns.subList(1, ns.size()).toArray(String[]::new));
  }

  /** A reviewed plan as read back: what it meant to do, what it showed, and what was forced. */
  record Reviewed(
      String cluster,
      Plan.Intent intent,
      List<String> changes,
      List<String> violations,
      List<Guard> forced) {}

  static Reviewed read(String text) {
    Map<String, Object> top = object(parse(text), "plan");
    if (!SCHEMA.equals(top.get("schema"))) {
      throw bad("schema", String.valueOf(top.get("schema")), "is not " + SCHEMA + ".");
    }
    Map<String, Object> intent = object(top.get("intent"), "intent");
    if (Boolean.TRUE.equals(intent.get("breakGlass"))) {
      throw bad(
          "intent",
          "break-glass",
          "a break-glass or expiry plan is for the moment it is made and is not approved later;"
              + " plan it again.");
    }
    List<Grant> grants = new ArrayList<>();
    int i = 0;
    for (Object o : list(intent.get("grants"), "intent.grants")) {
      grants.add(grant(object(o, "intent.grants[" + i + "]"), "intent.grants[" + i++ + "]"));
    }
    List<Principal> revokes = new ArrayList<>();
    for (Object o : list(intent.get("revokes"), "intent.revokes")) {
      revokes.add(principal(string(o, "intent.revokes")));
    }
    List<PartialRevoke> partials = new ArrayList<>();
    if (intent.get("partialRevokes") != null) { // plans written before partial revokes have none
      int j = 0;
      for (Object o : list(intent.get("partialRevokes"), "intent.partialRevokes")) {
        String at = "intent.partialRevokes[" + j++ + "]";
        partials.add(partialRevoke(object(o, at), at));
      }
    }
    List<String> changes = new ArrayList<>();
    for (Object o : list(top.get("changes"), "changes")) {
      Map<String, Object> c = object(o, "changes");
      changes.add(
          c.get("layer") + " " + c.get("action") + " " + c.get("object") + " " + c.get("details"));
    }
    List<Guard> forced = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    for (Object o : list(top.get("violations"), "violations")) {
      Map<String, Object> v = object(o, "violations");
      String guard = string(v.get("guard"), "violations.guard");
      violations.add(guard + ": " + v.get("message"));
      if (Boolean.TRUE.equals(v.get("forced"))) {
        try {
          forced.add(Guard.valueOf(guard));
        } catch (IllegalArgumentException unknown) {
          throw bad("violations.guard", guard, "is no guard of this version of eks-access.");
        }
      }
    }
    return new Reviewed(
        string(top.get("cluster"), "cluster"),
        new Plan.Intent(grants, revokes, partials),
        changes,
        violations,
        forced);
  }

  /** What a plan shows, in the form {@link #read} gives the reviewed one, to compare them. */
  static List<String> shown(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Change c : plan.changes()) {
      out.add(c.layer() + " " + c.action() + " " + c.object() + " " + c.details());
    }
    return out;
  }

  /** The guards a plan trips, with their messages, as {@link #read} gives the reviewed ones. */
  static List<String> violations(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Violation v : plan.violations()) {
      out.add(v.guard().name() + ": " + v.message());
    }
    return out;
  }

  private static Grant grant(Map<String, Object> g, String at) {
    Principal principal = principal(string(g.get("principal"), at + ".principal"));
    List<String> groups = new ArrayList<>();
    for (Object o : list(g.get("groups"), at + ".groups")) {
      groups.add(string(o, at + ".groups"));
    }
    Object username = g.get("username");
    Subject subject =
        username == null
            ? new Subject(java.util.Optional.empty(), groups)
            : Subject.ofUser(string(username, at + ".username"), groups);
    List<Binding> bindings = new ArrayList<>();
    int i = 0;
    for (Object o : list(g.get("bindings"), at + ".bindings")) {
      String where = at + ".bindings[" + i++ + "]";
      Map<String, Object> b = object(o, where);
      List<String> namespaces = new ArrayList<>();
      for (Object ns : list(b.get("namespaces"), where + ".namespaces")) {
        namespaces.add(string(ns, where + ".namespaces"));
      }
      Scope scope = new Scope(namespaces);
      Bindable target;
      if (b.get("clusterRole") != null) {
        target = ClusterRole.named(string(b.get("clusterRole"), where));
      } else if (b.get("role") != null) {
        target = new Role(string(b.get("roleNamespace"), where), string(b.get("role"), where));
      } else if (b.get("accessPolicy") != null) {
        target = AccessPolicy.named(string(b.get("accessPolicy"), where));
      } else {
        throw bad(
            where,
            String.valueOf(b.get("unsupported")),
            "a plan that defines a role (ClusterRoleDefinition, RoleDefinition) is not approved"
                + " later in this version; apply the definition first, then bind it by name.");
      }
      bindings.add(new Binding(target, scope));
    }
    // the same checks as the chain makes where each name is written
    dev.eksaccess.api.support.ReservedNames.requireGrantable(subject);
    return new Grant(principal, subject, bindings);
  }

  private static Principal principal(String arn) {
    return arn.contains(":user/") ? IamUser.of(arn) : IamRole.of(arn);
  }

  private static @Nullable Object parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      p.nextToken();
      Object value = value(p);
      if (p.nextToken() != null) {
        throw bad("plan", null, "has text after its JSON object.");
      }
      return value;
    } catch (IOException e) {
      throw new InvalidInputException(
          ErrorCode.INVALID_ARGUMENT,
          List.of(
              new InvalidInputException.Problem(
                  "plan",
                  null,
                  "is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""))),
          e);
    }
  }

  private static @Nullable Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, @Nullable Object> map = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        map.put(name, value(p));
      }
      return map;
    }
    if (t == JsonToken.START_ARRAY) {
      List<@Nullable Object> list = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        list.add(value(p));
      }
      return list;
    }
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return p.getBooleanValue();
    }
    if (t == JsonToken.VALUE_NULL || t == null) {
      return null;
    }
    return p.getText();
  }

  @SuppressWarnings("unchecked") // a JSON object as read above
  private static Map<String, Object> object(@Nullable Object o, String at) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw bad(at, String.valueOf(o), "is not a JSON object; is this a plan's toJson()?");
  }

  private static List<?> list(@Nullable Object o, String at) {
    if (o instanceof List<?> l) {
      return l;
    }
    throw bad(at, String.valueOf(o), "is not a JSON list; is this a plan's toJson()?");
  }

  private static String string(@Nullable Object o, String at) {
    if (o instanceof String s) {
      return s;
    }
    throw bad(at, String.valueOf(o), "is not text; is this a plan's toJson()?");
  }

  private static InvalidInputException bad(String at, @Nullable String value, String message) {
    return InvalidInputException.of(ErrorCode.INVALID_ARGUMENT, at, value, message);
  }
}
