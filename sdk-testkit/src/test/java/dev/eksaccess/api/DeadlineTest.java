package dev.eksaccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eksaccess.api.spi.IdentityBackend;
import dev.eksaccess.api.spi.RbacBackend;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.WriteFault;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines: no read, write or retry starts after one; a failed apply still takes back. */
class DeadlineTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/Dev");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");
  static final Request GET_PODS = Request.verb("get").resource("pods").inNamespace("apps");

  /** A clock the test moves, as slow backends would. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-07T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final FakeCluster prod = FakeCluster.accessEntries("prod");
  final TestClock clock = new TestClock();
  final List<String> calls = new ArrayList<>();

  /** The backend, each call of {@code slowMethod} taking {@code takes} of the test clock. */
  @SuppressWarnings("unchecked")
  <T> T slow(Class<T> type, T backend, String slowMethod, Duration takes) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getName().equals(slowMethod)) {
                calls.add(type.getSimpleName() + "." + slowMethod);
                clock.advance(takes);
              }
              try {
                return method.invoke(backend, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  ClusterAccess access(IdentityBackend ids, RbacBackend rbac, RetryPolicy retries) {
    return ClusterAccess.builder()
        .clusterName("prod")
        .identities(ids)
        .rbac(rbac)
        .clock(clock)
        .retryPolicy(retries)
        .build();
  }

  @Test
  void aTimeoutMustBeMoreThanZero() {
    for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      InvalidInputException e =
          catchThrowableOfType(
              InvalidInputException.class, () -> ClusterAccess.builder().timeout(bad));
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(e).hasMessageContaining("timeout").hasMessageContaining("more than zero");
      assertThat(
              catchThrowableOfType(
                  InvalidInputException.class, () -> prod.clusterAccess().withTimeout(bad)))
          .isNotNull();
    }
  }

  @Test
  void noReadStartsAfterTheDeadline() {
    ClusterAccess slowIds =
        access(
                slow(IdentityBackend.class, prod.identities(), "read", Duration.ofSeconds(10)),
                slow(RbacBackend.class, prod.rbac(), "read", Duration.ofSeconds(10)),
                RetryPolicy.defaults())
            .withTimeout(Duration.ofSeconds(5));

    DeadlineExceededException e =
        catchThrowableOfType(
            DeadlineExceededException.class,
            () -> slowIds.explain(Caller.of("arn:aws:iam::111122223333:role/Dev"), GET_PODS));

    assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(e).hasMessageContaining("PT5S").hasMessageContaining("a read of cluster prod");
    assertThat(calls).as("the RBAC read never started").containsExactly("IdentityBackend.read");
  }

  @Test
  void withoutATimeoutTheSameCallsFinish() {
    ClusterAccess slowIds =
        access(
            slow(IdentityBackend.class, prod.identities(), "read", Duration.ofSeconds(10)),
            slow(RbacBackend.class, prod.rbac(), "read", Duration.ofSeconds(10)),
            RetryPolicy.defaults());

    assertThat(slowIds.timeout()).isEmpty();
    assertThat(slowIds.explain(Caller.of("arn:aws:iam::111122223333:role/Dev"), GET_PODS))
        .isNotNull();
    assertThat(calls).containsExactly("IdentityBackend.read", "RbacBackend.read");
  }

  @Test
  void aWriteAfterTheDeadlineIsNotStartedAndWhatWasWrittenIsTakenBack() {
    ClusterAccess access =
        access(
            prod.identities(),
            slow(RbacBackend.class, prod.rbac(), "write", Duration.ofSeconds(10)),
            RetryPolicy.defaults());
    Plan plan = access.withTimeout(Duration.ofSeconds(5)).plan(DEVS);

    DeadlineExceededException e =
        catchThrowableOfType(DeadlineExceededException.class, plan::apply);

    assertThat(e).hasMessageContaining("identity write");
    prod.assertThat().hasNoMappingFor(DEV);
    assertThat(prod.rbac().read().bindings())
        .as("the binding written before the deadline was taken back")
        .noneMatch(b -> b.namespace().equals("apps"));
    assertThat(calls).as("one write, then its taking back").hasSize(2);
  }

  @Test
  void aRetryWhosePauseCouldOutlastTheDeadlineIsNotTried() {
    prod.failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE);
    ClusterAccess access =
        access(
                prod.identities(),
                prod.rbac(),
                RetryPolicy.of(5, Duration.ofMinutes(1), Duration.ofMinutes(1)))
            .withTimeout(Duration.ofSeconds(30));

    DeadlineExceededException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                catchThrowableOfType(
                    DeadlineExceededException.class, () -> access.plan(DEVS).apply()));

    assertThat(e).hasMessageContaining("retry 1");
    prod.assertThat().hasNoMappingFor(DEV);
  }

  @Test
  void anInnerDeadlineNeverGetsMoreTimeThanTheOuterOne() {
    Deadline outer = Deadline.after(Duration.ofSeconds(5), clock);
    Deadline inner = Deadline.after(Duration.ofMinutes(5), clock);

    Instant seen = outer.run(() -> inner.run(() -> Deadline.current().orElseThrow().at()));
    Instant suspended =
        outer.run(
            () -> Deadline.suspended(() -> Deadline.current().map(Deadline::at).orElse(null)));

    assertThat(seen).isEqualTo(outer.at());
    assertThat(suspended).isNull();
    assertThat(Deadline.current()).as("restored after the run").isEmpty();
  }
}
