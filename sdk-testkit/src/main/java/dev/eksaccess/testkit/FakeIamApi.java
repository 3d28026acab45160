package dev.eksaccess.testkit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import dev.eksaccess.api.spi.IamDirectory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * IAM's wire protocol over a {@link FakeIam}'s roles, for the real {@code IamClient}: the query
 * protocol (a form-encoded {@code POST /} with {@code Action} and {@code Version=2010-05-08}),
 * answered in IAM's XML. Serves {@code GetRole} and {@code ListRoles} (with {@code PathPrefix},
 * {@code MaxItems} up to 1000, default 100, and {@code Marker} paging), and IAM's errors: {@code
 * NoSuchEntity} (404), {@code ValidationError} (400) for a missing or bad parameter, and injected
 * {@code AccessDenied} (403), {@code Throttling} (400) and {@code ServiceFailure} (500). Faults are
 * queued by operation ({@code GetRole}, {@code ListRoles}).
 *
 * <pre>{@code
 * FakeIam roles = FakeIam.forAccount("111122223333").createRole(arn, created);
 * try (FakeIamApi api = FakeIamApi.start(roles)) {
 *   IamClient iam = IamClient.builder().endpointOverride(URI.create(api.baseUrl()))
 *       .region(Region.AWS_GLOBAL).credentialsProvider(...).build();
 *   api.inject("GetRole", EksFault.accessDenied());
 *   // ... the code under test ...
 * }
 * }</pre>
 */
public final class FakeIamApi extends WireFake<EksFault, FakeIamApi> {
  private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

  private final FakeIam iam;

  private FakeIamApi(FakeIam iam) {
    super("eks-access-fake-iam-api");
    this.iam = iam;
  }

  /**
   * Starts a fake IAM API on a free loopback port, serving {@code iam}'s roles as they are at each
   * request.
   *
   * @param iam the roles
   * @return the running server; close it when done
   */
  public static FakeIamApi start(FakeIam iam) {
    return new FakeIamApi(Objects.requireNonNull(iam, "iam"));
  }

  /** A call is logged as {@code GetRole NAME} or {@code ListRoles PREFIX}. */
  @Override
  Route route(Request request) {
    Map<String, String> form = form(request);
    String action = form.getOrDefault("Action", "");
    if (!request.getMethod().getName().equals("POST")
        || !(action.equals("GetRole") || action.equals("ListRoles"))) {
      return new Route(request.getMethod().getName() + " " + action, null);
    }
    String arg =
        action.equals("GetRole")
            ? form.getOrDefault("RoleName", "")
            : form.getOrDefault("PathPrefix", "/");
    return new Route(action + " " + arg, action);
  }

  @Override
  ResponseDefinition unknown(Request request) {
    return error(
        400,
        "InvalidAction",
        "The action or operation requested is invalid. Verify that the action is typed correctly.");
  }

  @Override
  ResponseDefinition answer(Request request, Route route, @Nullable EksFault fault) {
    Map<String, String> form = form(request);
    String action = form.get("Action");
    if (fault != null) {
      return switch (fault.kind()) {
        case ACCESS_DENIED ->
            error(
                403,
                "AccessDenied",
                "User: "
                    + fault.caller()
                    + " is not authorized to perform: iam:"
                    + action
                    + " because no identity-based policy allows the iam:"
                    + action
                    + " action");
        case THROTTLING -> error(400, "Throttling", "Rate exceeded");
        default ->
            error(
                500,
                "ServiceFailure",
                "The request processing has failed because of an unknown error.");
      };
    }
    if (!"2010-05-08".equals(form.get("Version"))) {
      return error(400, "InvalidParameterValue", "Version must be 2010-05-08");
    }
    return "GetRole".equals(action) ? getRole(form) : listRoles(form);
  }

  private ResponseDefinition getRole(Map<String, String> form) {
    String name = form.get("RoleName");
    if (name == null || !name.matches("[\\w+=,.@-]{1,64}")) {
      return error(
          400,
          "ValidationError",
          "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member"
              + " must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
    for (IamDirectory.RoleDetails r : iam.all()) {
      if (r.role().name().equalsIgnoreCase(name)) {
        return ok("GetRole", "<Role>" + role(r) + "</Role>");
      }
    }
    return error(404, "NoSuchEntity", "The role with name " + name + " cannot be found.");
  }

  private ResponseDefinition listRoles(Map<String, String> form) {
    String prefix = form.getOrDefault("PathPrefix", "/");
    if (!prefix.matches("/|/[\\x21-\\x7E]{1,510}/")) {
      return error(
          400,
          "ValidationError",
          "1 validation error detected: Value at 'pathPrefix' failed to satisfy constraint");
    }
    int max;
    try {
      max = Integer.parseInt(form.getOrDefault("MaxItems", "100"));
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 1 || max > 1000) {
      return error(
          400,
          "ValidationError",
          "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member"
              + " must have value between 1 and 1000");
    }
    List<IamDirectory.RoleDetails> all =
        iam.all().stream().filter(r -> r.role().path().startsWith(prefix)).toList();
    int from = 0;
    String marker = form.get("Marker");
    if (marker != null) {
      try {
        from = Integer.parseInt(marker.substring("m-".length()));
      } catch (RuntimeException e) {
        return error(400, "ValidationError", "Invalid Marker");
      }
    }
    int to = Math.min(all.size(), from + max);
    StringBuilder body = new StringBuilder();
    body.append("<IsTruncated>").append(to < all.size()).append("</IsTruncated>");
    if (to < all.size()) {
      body.append("<Marker>m-").append(to).append("</Marker>");
    }
    body.append("<Roles>");
    for (IamDirectory.RoleDetails r : all.subList(Math.min(from, to), to)) {
      body.append("<member>").append(role(r)).append("</member>");
    }
    body.append("</Roles>");
    return ok("ListRoles", body.toString());
  }

  private static String role(IamDirectory.RoleDetails r) {
    return "<Path>"
        + xml(r.role().path())
        + "</Path><RoleName>"
        + xml(r.role().name())
        + "</RoleName><RoleId>"
        + xml(r.roleId())
        + "</RoleId><Arn>"
        + xml(r.role().arn().value())
        + "</Arn><CreateDate>"
        + r.createDate()
        + "</CreateDate><MaxSessionDuration>3600</MaxSessionDuration>";
  }

  private static ResponseDefinition ok(String action, String result) {
    String id = UUID.randomUUID().toString();
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(200)
        .withHeader("Content-Type", "text/xml")
        .withHeader("x-amzn-RequestId", id)
        .withBody(
            "<"
                + action
                + "Response xmlns=\""
                + NS
                + "\"><"
                + action
                + "Result>"
                + result
                + "</"
                + action
                + "Result><ResponseMetadata><RequestId>"
                + id
                + "</RequestId></ResponseMetadata></"
                + action
                + "Response>")
        .build();
  }

  /** IAM's error shape: {@code ErrorResponse/Error/{Type,Code,Message}} and the request id. */
  private static ResponseDefinition error(int status, String code, String message) {
    String id = UUID.randomUUID().toString();
    return ResponseDefinitionBuilder.responseDefinition()
        .withStatus(status)
        .withHeader("Content-Type", "text/xml")
        .withHeader("x-amzn-RequestId", id)
        .withBody(
            "<ErrorResponse xmlns=\""
                + NS
                + "\"><Error><Type>"
                + (status >= 500 ? "Receiver" : "Sender")
                + "</Type><Code>"
                + code
                + "</Code><Message>"
                + xml(message)
                + "</Message></Error><RequestId>"
                + id
                + "</RequestId></ErrorResponse>")
        .build();
  }

  private static Map<String, String> form(Request request) {
    Map<String, String> out = new LinkedHashMap<>();
    String body = request.getBodyAsString();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&", -1)) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
