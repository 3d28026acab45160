package dev.eksaccess.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.api.Caller;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Decision;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Plan;
import dev.eksaccess.api.Request;
import dev.eksaccess.awsauth.AwsAuth;
import dev.eksaccess.awsauth.AwsAuthDocument;
import dev.eksaccess.awsauth.MappedIdentity;
import dev.eksaccess.rbac.Rbac;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1SubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A grant, its explanation and its revoke through {@link ClusterAccess} with the aws-auth and RBAC
 * backends on a real kube-apiserver, each decision of {@code explain} checked against the real
 * authorizer: a SubjectAccessReview for the identity aws-auth maps the caller to.
 */
class ClusterAccessRoundRealServerTest {
  @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();

  static final String ADMIN_AND_NODES =
      """
      - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
        username: system:node:{{EC2PrivateDNSName}}
        groups:
          - system:bootstrappers
          - system:nodes
      - rolearn: arn:aws:iam::111122223333:role/Admin
        username: admin
        groups:
          - system:masters
      """;

  @Test
  void aGrantIsExplainedAsTheApiServerDecidesAndARevokeLeavesNothing() throws Exception {
    KUBE.putAwsAuth(Map.of("mapRoles", ADMIN_AND_NODES));
    String ns = KUBE.namespace();
    String group = KUBE.unique("acme:devs");
    IamRole dev = IamRole.of("arn:aws:iam::111122223333:role/" + KUBE.unique("Dev"));
    Caller jane =
        Caller.of("arn:aws:sts::111122223333:assumed-role/" + KUBE.unique("Dev") + "/jane");
    ClusterAccess access =
        ClusterAccess.builder()
            .clusterName("it")
            .identities(AwsAuth.backend(KUBE.client()))
            .rbac(Rbac.backend(KUBE.client()))
            .build();
    Grant grant = ClusterAccess.grant(dev).asGroup(group).bind(ClusterRole.VIEW).inNamespace(ns);
    List<Request> requests =
        List.of(
            Request.verb("get").resource("pods").inNamespace(ns),
            Request.verb("list").resource("configmaps").inNamespace(ns),
            Request.verb("delete").resource("pods").inNamespace(ns),
            Request.verb("get").resource("pods").inNamespace("default"));

    Plan plan = access.plan(grant);
    assertThat(plan.changes()).hasSize(2);
    plan.apply();

    assertThat(access.plan(grant).isEmpty()).as("applying again changes nothing").isTrue();
    assertThat(bindingsFor(ns, group)).hasSize(1);
    MappedIdentity identity = AwsAuthDocument.parse(KUBE.awsAuthData()).resolve(jane).orElseThrow();
    assertThat(identity.groups()).contains(group);
    List<Boolean> explained = new ArrayList<>();
    for (Request r : requests) {
      Decision d = access.explain(jane, r);
      explained.add(d.allowed());
      assertThat(d.allowed())
          .as("explain and the API server agree on %s: %s", r, d)
          .isEqualTo(apiServerAllows(identity, r));
    }
    assertThat(explained).containsExactly(true, true, false, false);

    access.planRevoke(dev).apply();

    assertThat(AwsAuthDocument.parse(KUBE.awsAuthData()).resolve(jane)).isEmpty();
    assertThat(bindingsFor(ns, group)).as("the grant's binding is gone").isEmpty();
    assertThat(AwsAuthDocument.parse(KUBE.awsAuthData()).roleMappings())
        .as("the other mappings stay")
        .hasSize(2);
    for (Request r : requests) {
      assertThat(access.explain(jane, r).allowed()).as("after the revoke: %s", r).isFalse();
    }
    assertThat(apiServerAllows(identity, requests.get(0)))
        .as("the identity the grant gave may no longer read pods")
        .isFalse();
  }

  /** The RoleBindings in {@code ns} that name {@code group}. */
  private static List<String> bindingsFor(String ns, String group) throws ApiException {
    List<String> names = new ArrayList<>();
    for (V1RoleBinding b :
        new RbacAuthorizationV1Api(KUBE.client())
            .listNamespacedRoleBinding(ns)
            .execute()
            .getItems()) {
      if (b.getSubjects() != null
          && b.getSubjects().stream().anyMatch(s -> group.equals(s.getName()))) {
        names.add(b.getMetadata().getName());
      }
    }
    return names;
  }

  /** What the API server's authorizer decides for this identity, asked by SubjectAccessReview. */
  private static boolean apiServerAllows(MappedIdentity identity, Request r) throws ApiException {
    List<String> groups = new ArrayList<>(identity.groups());
    groups.add("system:authenticated");
    V1SubjectAccessReview review =
        new AuthorizationV1Api(KUBE.client())
            .createSubjectAccessReview(
                new V1SubjectAccessReview()
                    .spec(
                        new V1SubjectAccessReviewSpec()
                            .user(identity.username())
                            .groups(groups)
                            .resourceAttributes(
                                new V1ResourceAttributes()
                                    .verb(r.verb())
                                    .resource(r.resource())
                                    .namespace(r.namespace().isEmpty() ? null : r.namespace()))))
            .execute();
    return review.getStatus() != null && review.getStatus().getAllowed();
  }
}
