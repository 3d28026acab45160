package dev.eksaccess.it;

import dev.eksaccess.kubernetes.KubeClients;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kubernetes API server for the tests of the real-server tier, given by the environment (or
 * {@code -D} properties of the same names):
 *
 * <ul>
 *   <li>{@value #URL}: the API server, such as {@code https://127.0.0.1:6443};
 *   <li>{@value #TOKEN}: a bearer token that may do anything (a {@code system:masters} user);
 *   <li>{@value #CA}: the path of the CA certificate (PEM) the server's certificate is signed by.
 * </ul>
 *
 * <p>Without {@value #URL} every test that registers this extension is skipped, and one line says
 * how to run the tier; with {@value #URL} but without the other two the tests fail and say what is
 * missing. Per test it gives Kubernetes clients (the SDK's own {@link KubeClients#forEndpoint}, TLS
 * verified, the token asked per request), a namespace of its own, names that no parallel run uses,
 * and the singleton {@code kube-system/aws-auth}, held under a lock that also serializes other JVMs
 * on this machine, saved before and restored after. Everything a test creates through it is deleted
 * after the test, pass or fail.
 *
 * <pre>{@code
 * class ConcurrentGrantsRealServerTest {
 *   @RegisterExtension static final RealKubeApi KUBE = new RealKubeApi();
 *
 *   @Test
 *   void grantsLand() {
 *     KUBE.takeAwsAuth();                        // empty aws-auth, this test's until it ends
 *     String ns = KUBE.namespace();              // made for this test, deleted after it
 *     String group = KUBE.unique("acme:devs");   // acme:devs-k3x9q2
 *     ClusterAccess access = ClusterAccess.builder().clusterName("it")
 *         .identities(AwsAuth.backend(KUBE.client()))
 *         .rbac(Rbac.backend(KUBE.client()))
 *         .build();
 *     // ... grant, apply, assert ...
 *   }
 * }
 * }</pre>
 */
public final class RealKubeApi
    implements ExecutionCondition, BeforeEachCallback, AfterEachCallback {
  /** The API server's URL. */
  public static final String URL = "EKS_ACCESS_IT_KUBE_URL";

  /** A bearer token of a user in {@code system:masters}. */
  public static final String TOKEN = "EKS_ACCESS_IT_KUBE_TOKEN";

  /** The path of the CA certificate (PEM). */
  public static final String CA = "EKS_ACCESS_IT_KUBE_CA";

  static final String HOW_TO =
      "The real-server tier is skipped: "
          + URL
          + " is not set. To run it against a real kube-apiserver, set "
          + URL
          + " (https://127.0.0.1:6443), "
          + TOKEN
          + " and "
          + CA
          + " (a PEM file), then run ./mvnw -pl integration-tests -am verify"
          + " -Dtest='*RealServerTest' (README, \"The real-server test tier\").";

  private static final AtomicBoolean TOLD = new AtomicBoolean();
  private static final ReentrantLock AWS_AUTH_IN_THIS_JVM = new ReentrantLock();
  private static final SecureRandom RANDOM = new SecureRandom();

  private @Nullable Server server;
  private String suffix = "";
  private final List<String> namespaces = new ArrayList<>();
  private final Set<String> clusterRbacBefore = new HashSet<>();
  private final AtomicLong writes = new AtomicLong();
  private @Nullable HeldAwsAuth awsAuth;

  /** Creates the extension; register it with {@code @RegisterExtension}. */
  public RealKubeApi() {}

  /** The server, its token and the CA's PEM. */
  private record Server(String url, String token, String caPemText) {
    byte[] caPem() {
      return caPemText.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** aws-auth as it was before the test took it, and the locks that hold it. */
  private record HeldAwsAuth(@Nullable V1ConfigMap saved, FileChannel file, FileLock lock) {}

  private static @Nullable String setting(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      v = System.getenv(name);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** Whether a server is configured, for tests that want to say so themselves. */
  static boolean configured() {
    return setting(URL) != null;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (configured()) {
      return ConditionEvaluationResult.enabled("real kube-apiserver at " + setting(URL));
    }
    if (TOLD.compareAndSet(false, true)) {
      // test code, not library code: the one line that says how to run the tier
      System.err.println("[eks-access] " + HOW_TO);
    }
    return ConditionEvaluationResult.disabled(HOW_TO);
  }

  /** The configured server; fails with what is missing. */
  private Server server() {
    Server s = server;
    if (s != null) {
      return s;
    }
    String url = setting(URL);
    String token = setting(TOKEN);
    String ca = setting(CA);
    List<String> missing = new ArrayList<>();
    if (url == null) {
      missing.add(URL);
    }
    if (token == null) {
      missing.add(TOKEN);
    }
    if (ca == null) {
      missing.add(CA);
    }
    if (url == null || token == null || ca == null) {
      throw new IllegalStateException(
          "The real-server tier needs " + String.join(", ", missing) + " as well. " + HOW_TO);
    }
    String pem;
    try {
      pem = Files.readString(Path.of(ca), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(CA + "=" + ca + " cannot be read: " + e.getMessage(), e);
    }
    s = new Server(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, token, pem);
    server = s;
    return s;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws ApiException {
    server();
    suffix = Long.toString(RANDOM.nextLong() & 0xffffffffffL, 36);
    writes.set(0);
    clusterRbacBefore.clear();
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(adminClient());
    for (V1ClusterRoleBinding b : rbac.listClusterRoleBinding().execute().getItems()) {
      clusterRbacBefore.add("clusterrolebindings/" + name(b.getMetadata()));
    }
    for (V1ClusterRole r : rbac.listClusterRole().execute().getItems()) {
      clusterRbacBefore.add("clusterroles/" + name(r.getMetadata()));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      deleteClusterRbacOfThisTest();
      CoreV1Api core = new CoreV1Api(adminClient());
      for (String ns : namespaces) {
        try {
          core.deleteNamespace(ns).execute();
        } catch (ApiException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      namespaces.clear();
    } finally {
      releaseAwsAuth();
    }
  }

  /**
   * A client of the server for the code under test: {@link KubeClients#forEndpoint} with the CA and
   * the token; its writes are counted in {@link #writes()}.
   *
   * @return a new client
   */
  public ApiClient client() {
    Server s = server();
    ApiClient client =
        KubeClients.forEndpoint(s.url(), s.caPem(), s::token); // the SDK's own, TLS verified
    client.setHttpClient(
        client
            .getHttpClient()
            .newBuilder()
            .addInterceptor(
                chain -> {
                  String m = chain.request().method();
                  if (m.equals("PUT") || m.equals("POST") || m.equals("PATCH")) {
                    writes.incrementAndGet();
                  }
                  return chain.proceed(chain.request());
                })
            .build());
    return client;
  }

  /** A client for the extension's own set-up and clean-up, not counted. */
  private ApiClient adminClient() {
    Server s = server();
    return KubeClients.forEndpoint(s.url(), s.caPem(), s::token);
  }

  /**
   * How many writes (PUT, POST, PATCH) the clients of {@link #client()} sent in this test.
   *
   * @return the count
   */
  public long writes() {
    return writes.get();
  }

  /**
   * The server's base URL.
   *
   * @return the URL, without a trailing slash
   */
  public String url() {
    return server().url();
  }

  /**
   * The bearer token, for raw HTTP requests.
   *
   * @return the token
   */
  public String token() {
    return server().token();
  }

  /**
   * A JDK HTTP client that trusts the server's CA, for raw HTTP requests.
   *
   * @return the client
   */
  public HttpClient httpClient() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca",
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(server().caPem())));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(tls).build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(CA + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * A name no other test or parallel run uses: {@code base} and this test's random suffix.
   *
   * @param base the readable part, such as {@code acme:devs}
   * @return such as {@code acme:devs-k3x9q2}
   */
  public String unique(String base) {
    return base + "-" + suffix;
  }

  /**
   * This test's random suffix; every cluster-scoped eks-access object whose name holds it is
   * deleted after the test.
   *
   * @return the suffix
   */
  public String suffix() {
    return suffix;
  }

  /**
   * A namespace made for this test ({@code it-<suffix>}), deleted after it; the same one on every
   * call within a test.
   *
   * @return its name
   * @throws ApiException if the server refuses to create it
   */
  public String namespace() throws ApiException {
    if (namespaces.isEmpty()) {
      return newNamespace("it");
    }
    return namespaces.get(0);
  }

  /**
   * Another namespace for this test, {@code <prefix>-<suffix>}, deleted after it.
   *
   * @param prefix the readable part, a DNS label
   * @return its name
   * @throws ApiException if the server refuses to create it
   */
  public String newNamespace(String prefix) throws ApiException {
    String name = (prefix + "-" + suffix).toLowerCase(Locale.ROOT);
    new CoreV1Api(adminClient())
        .createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name)))
        .execute();
    namespaces.add(name);
    return name;
  }

  /**
   * Takes {@code kube-system/aws-auth} for this test: waits for every other test of this JVM and
   * every other JVM on this machine that uses this extension, saves the ConfigMap as it is, and
   * deletes it, so the test starts with none. After the test it is restored as saved (or deleted if
   * there was none). A second call in the same test does nothing.
   *
   * @throws ApiException if the server refuses to read or delete it
   * @throws IOException if the lock file cannot be used
   */
  public void takeAwsAuth() throws ApiException, IOException {
    if (awsAuth != null) {
      return;
    }
    AWS_AUTH_IN_THIS_JVM.lock();
    FileChannel file = null;
    try {
      Path lockFile =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "eks-access-it-aws-auth-" + Integer.toHexString(url().hashCode()) + ".lock");
      file = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = file.lock();
      CoreV1Api core = new CoreV1Api(adminClient());
      V1ConfigMap saved = null;
      try {
        saved = core.readNamespacedConfigMap("aws-auth", "kube-system").execute();
        core.deleteNamespacedConfigMap("aws-auth", "kube-system").execute();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
      awsAuth = new HeldAwsAuth(saved, file, lock);
    } catch (ApiException | IOException | RuntimeException e) {
      if (file != null) {
        file.close();
      }
      AWS_AUTH_IN_THIS_JVM.unlock();
      throw e;
    }
  }

  /**
   * Stores {@code kube-system/aws-auth} with this data, as another writer would (the test must hold
   * it: {@link #takeAwsAuth()} is called first if it does not).
   *
   * @param data the data
   * @throws ApiException if the server refuses
   * @throws IOException if the lock file cannot be used
   */
  public void putAwsAuth(Map<String, String> data) throws ApiException, IOException {
    takeAwsAuth();
    CoreV1Api core = new CoreV1Api(adminClient());
    V1ConfigMap cm =
        new V1ConfigMap()
            .metadata(new V1ObjectMeta().name("aws-auth").namespace("kube-system"))
            .data(new LinkedHashMap<>(data));
    try {
      V1ConfigMap now = core.readNamespacedConfigMap("aws-auth", "kube-system").execute();
      cm.getMetadata().setResourceVersion(version(now));
      core.replaceNamespacedConfigMap("aws-auth", "kube-system", cm).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      core.createNamespacedConfigMap("kube-system", cm).execute();
    }
  }

  /**
   * The data of {@code kube-system/aws-auth} as stored now.
   *
   * @return the data, or null if there is no such ConfigMap
   * @throws ApiException if the server refuses
   */
  public @Nullable Map<String, String> awsAuthData() throws ApiException {
    try {
      V1ConfigMap cm =
          new CoreV1Api(adminClient()).readNamespacedConfigMap("aws-auth", "kube-system").execute();
      return cm.getData() == null ? Map.of() : cm.getData();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private void releaseAwsAuth() throws ApiException, IOException {
    HeldAwsAuth held = awsAuth;
    if (held == null) {
      return;
    }
    awsAuth = null;
    try {
      CoreV1Api core = new CoreV1Api(adminClient());
      try {
        core.deleteNamespacedConfigMap("aws-auth", "kube-system").execute();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
      V1ConfigMap saved = held.saved();
      if (saved != null) {
        V1ObjectMeta meta = saved.getMetadata();
        V1ConfigMap restored =
            new V1ConfigMap()
                .metadata(
                    new V1ObjectMeta()
                        .name("aws-auth")
                        .namespace("kube-system")
                        .labels(meta == null ? null : meta.getLabels())
                        .annotations(meta == null ? null : meta.getAnnotations()))
                .data(saved.getData())
                .binaryData(saved.getBinaryData());
        core.createNamespacedConfigMap("kube-system", restored).execute();
      }
    } finally {
      try {
        held.lock().release();
      } finally {
        held.file().close();
        AWS_AUTH_IN_THIS_JVM.unlock();
      }
    }
  }

  /** Deletes the cluster-scoped RBAC objects this test made (their names hold its suffix). */
  private void deleteClusterRbacOfThisTest() throws ApiException {
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(adminClient());
    for (V1ClusterRoleBinding b : rbac.listClusterRoleBinding().execute().getItems()) {
      String name = name(b.getMetadata());
      if (ours(name, "clusterrolebindings")) {
        deleteQuietly(() -> rbac.deleteClusterRoleBinding(name).execute());
      }
    }
    for (V1ClusterRole r : rbac.listClusterRole().execute().getItems()) {
      String name = name(r.getMetadata());
      if (ours(name, "clusterroles")) {
        deleteQuietly(() -> rbac.deleteClusterRole(name).execute());
      }
    }
  }

  private boolean ours(String name, String plural) {
    return !clusterRbacBefore.contains(plural + "/" + name) && name.contains(suffix);
  }

  /** A call whose 404 means it is already gone. */
  private interface Call {
    Object run() throws ApiException;
  }

  private static void deleteQuietly(Call call) throws ApiException {
    try {
      call.run();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static String name(@Nullable V1ObjectMeta meta) {
    return meta == null || meta.getName() == null ? "" : meta.getName();
  }

  private static @Nullable String version(V1ConfigMap cm) {
    return cm.getMetadata() == null ? null : cm.getMetadata().getResourceVersion();
  }

  @Override
  public String toString() {
    Server s = server;
    return "RealKubeApi[" + (s == null ? "not configured" : s.url()) + ", token hidden]";
  }
}
