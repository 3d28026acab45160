package dev.eksaccess.testkit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the wire-level fakes share: a server on a free loopback port for the real clients, a log of
 * every request, faults and other writers queued per request kind ({@link FakeKubeApi}: the HTTP
 * method; {@link FakeEksApi}: the operation), and a latency. Each fake keeps only its dispatcher:
 * how it names a request, and how it answers one. Requests are served one at a time against one
 * state, as etcd or a regional service orders them; answers are delayed outside the lock, so a
 * latency slows every caller without serializing them.
 *
 * <pre>{@code
 * try (FakeKubeApi api = FakeKubeApi.start().latency(Duration.ofMillis(20))) {
 *   api.inject("PUT", KubeFault.conflict());
 *   // ... the code under test ...
 *   assertThat(api.pendingFaults()).isZero();   // the fault met a request
 * }
 * }</pre>
 *
 * @param <F> the fault type
 * @param <S> the fake itself, for chained calls
 */
public abstract class WireFake<F, S extends WireFake<F, S>> implements AutoCloseable {
  private final LoopbackServer server;
  private final Map<String, Deque<F>> faults = new HashMap<>();
  private final Map<String, Deque<Runnable>> interleaved = new HashMap<>();
  private final List<String> log = new ArrayList<>();
  private Duration latency = Duration.ZERO;

  /**
   * Starts the server.
   *
   * @param name the name of the server's request handler
   */
  WireFake(String name) {
    this.server = new LoopbackServer(name, this::serve);
  }

  /** How a request is known: its log line, and the key its faults are queued under. */
  record Route(String logLine, @Nullable String key) {}

  /** Names a request; a null key is a request this fake does not serve (no faults meet it). */
  abstract Route route(Request request);

  /** Answers a request this fake does not serve. */
  abstract ResponseDefinition unknown(Request request);

  /** Answers a served request, under this fake's lock, with the fault queued for it, if any. */
  abstract ResponseDefinition answer(Request request, Route route, @Nullable F fault);

  /** The key as faults are queued under it, such as an upper-cased HTTP method. */
  String normalize(String key) {
    return key;
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /**
   * Where the server listens, for the client's base URL or endpoint override.
   *
   * @return the base URL, such as {@code http://127.0.0.1:41234}
   */
  public String baseUrl() {
    return server.baseUrl();
  }

  /**
   * Every request is answered after this delay (requests are served one at a time, their answers
   * delayed concurrently), as a remote API would be.
   *
   * <pre>{@code
   * FakeEksApi api = FakeEksApi.start().latency(Duration.ofMillis(20));
   * }</pre>
   *
   * @param delay the delay
   * @return this
   */
  public synchronized S latency(Duration delay) {
    latency = Objects.requireNonNull(delay, "delay");
    return self();
  }

  /**
   * Queues a fault for the next request of this kind ({@link FakeKubeApi}: an HTTP method such as
   * {@code PUT}; {@link FakeEksApi}: an operation such as {@code CreateAccessEntry}); faults for
   * one kind are used in the order queued.
   *
   * @param key the request kind
   * @param fault the fault
   * @return this
   */
  public synchronized S inject(String key, F fault) {
    faults
        .computeIfAbsent(normalize(key), k -> new ArrayDeque<>())
        .add(Objects.requireNonNull(fault, "fault"));
    return self();
  }

  /**
   * Runs another writer's change just before the next request of this kind is served, under the
   * same lock, so that request meets it as in a real race.
   *
   * <pre>{@code
   * api.beforeNext("PUT", () -> api.putConfigMap("kube-system", "aws-auth", theirs));
   * }</pre>
   *
   * @param key the request kind
   * @param otherWriter the change
   * @return this
   */
  public synchronized S beforeNext(String key, Runnable otherWriter) {
    interleaved
        .computeIfAbsent(normalize(key), k -> new ArrayDeque<>())
        .add(Objects.requireNonNull(otherWriter, "otherWriter"));
    return self();
  }

  /**
   * Every request served, in order, as this fake names them.
   *
   * @return the log
   */
  public synchronized List<String> requests() {
    return List.copyOf(log);
  }

  /**
   * The injected faults and other writers not used yet: zero after a test whose faults all met a
   * request, which is how a test shows that the fault it meant did happen.
   *
   * <pre>{@code
   * assertThat(api.pendingFaults()).isZero();
   * }</pre>
   *
   * @return how many are left
   */
  public synchronized int pendingFaults() {
    int n = 0;
    for (var q : faults.values()) {
      n += q.size();
    }
    for (var q : interleaved.values()) {
      n += q.size();
    }
    return n;
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop();
  }

  /** Serves one request under the lock, then delays the answer (outside it) by the latency. */
  private ResponseDefinition serve(Request request) {
    ResponseDefinition answer;
    Duration delay;
    synchronized (this) {
      Route route = route(request);
      log.add(route.logLine());
      delay = latency;
      String key = route.key();
      if (key == null) {
        answer = unknown(request);
      } else {
        Deque<Runnable> others = interleaved.get(key);
        Runnable other = others == null ? null : others.poll();
        if (other != null) {
          other.run(); // the same lock: the other writer lands whole before this request
        }
        Deque<F> queued = faults.get(key);
        answer = answer(request, route, queued == null ? null : queued.poll());
      }
    }
    if (delay.isZero()) {
      return answer;
    }
    Integer own = answer.getFixedDelayMilliseconds();
    return ResponseDefinitionBuilder.like(answer)
        .withFixedDelay((own == null ? 0 : own) + (int) delay.toMillis())
        .build();
  }
}
