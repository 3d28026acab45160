package dev.eksaccess.kubernetes.internal;

import dev.eksaccess.api.Deadline;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Gives each Kubernetes request only the time the operation's {@link Deadline} has left: an
 * application interceptor runs on the caller's thread for a synchronous call, so it sees the
 * operation's deadline, and bounds the connect, write and read of that one request by it. Without a
 * deadline the client's own timeouts stand.
 */
public final class DeadlineTimeouts implements Interceptor {
  @Override
  public Response intercept(Interceptor.Chain chain) throws IOException {
    Optional<Deadline> deadline = Deadline.current();
    if (deadline.isEmpty()) {
      return chain.proceed(chain.request());
    }
    deadline
        .get()
        .check(
            "the Kubernetes request "
                + chain.request().method()
                + " "
                + chain.request().url().encodedPath());
    Duration left = deadline.get().remaining();
    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, left.toMillis()));
    // the client's own, shorter timeouts stand (0 means none)
    return chain
        .withConnectTimeout(shorter(ms, chain.connectTimeoutMillis()), TimeUnit.MILLISECONDS)
        .withWriteTimeout(shorter(ms, chain.writeTimeoutMillis()), TimeUnit.MILLISECONDS)
        .withReadTimeout(shorter(ms, chain.readTimeoutMillis()), TimeUnit.MILLISECONDS)
        .proceed(chain.request());
  }

  private static int shorter(int deadlineMillis, int clientMillis) {
    return clientMillis > 0 ? Math.min(deadlineMillis, clientMillis) : deadlineMillis;
  }
}
