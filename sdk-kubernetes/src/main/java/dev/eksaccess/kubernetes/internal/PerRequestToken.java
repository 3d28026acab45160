package dev.eksaccess.kubernetes.internal;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.credentials.Authentication;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Puts {@code Authorization: Bearer <token>} on every request, asking the token source each time
 * the request goes onto a connection (a network interceptor, so a retried connection asks again).
 * The client holds no token of its own: how old a token may be is the source's decision alone, so
 * clients sharing one source cannot add their own caching on top of it (the Kubernetes client's
 * {@code RefreshAuthentication} keeps a token for its whole refresh period, whatever its age when
 * it was handed out).
 */
public final class PerRequestToken implements Authentication, Interceptor {
  private final Supplier<String> token;

  /**
   * Authenticates with the tokens {@code token} gives.
   *
   * @param token the token source, asked for every request; never logged
   */
  public PerRequestToken(Supplier<String> token) {
    this.token = Objects.requireNonNull(token, "token");
  }

  @Override
  public void provide(ApiClient client) {
    client.setHttpClient(client.getHttpClient().newBuilder().addNetworkInterceptor(this).build());
  }

  @Override
  public Response intercept(Interceptor.Chain chain) throws IOException {
    return chain.proceed(
        chain.request().newBuilder().header("Authorization", "Bearer " + token.get()).build());
  }

  @Override
  public String toString() {
    return "PerRequestToken[token hidden]";
  }
}
