package dev.eksaccess.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.Caller;
import dev.eksaccess.api.Change;
import dev.eksaccess.api.ClusterAccess;
import dev.eksaccess.api.ClusterRole;
import dev.eksaccess.api.Grant;
import dev.eksaccess.api.IamRole;
import dev.eksaccess.api.Operation;
import dev.eksaccess.api.Request;
import dev.eksaccess.api.UnsafeChangeException;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.testkit.FakeCluster;
import dev.eksaccess.testkit.WriteFault;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The meters and observations a real ClusterAccess over the testkit's fakes produces. */
class MicrometerListenerTest {
  static final IamRole DEV = IamRole.of("arn:aws:iam::111122223333:role/DevTeamRole");
  static final IamRole ADMIN = IamRole.of("arn:aws:iam::111122223333:role/Admin");
  static final Grant DEVS =
      ClusterAccess.grant(DEV).asGroup("acme:devs").bind(ClusterRole.VIEW).inNamespace("apps");
  static final String TIMER = DefaultOperationObservationConvention.NAME;

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final FakeCluster prod =
      FakeCluster.awsAuth("prod")
          .seed(IdentityMapping.of(ADMIN).withGroups(List.of("system:masters")));
  final ClusterAccess observed =
      prod.clusterAccessBuilder().listener(MicrometerListener.of(meters)).build();

  Timer timer(String operation, String outcome, String errorCode) {
    return meters
        .get(TIMER)
        .tags("operation", operation, "outcome", outcome, "error.code", errorCode)
        .tag("backend", "aws-auth")
        .timer();
  }

  @Test
  void aSuccessfulPlanAndApplyAreTimedWithTheirOutcome() {
    observed.plan(DEVS).apply();

    assertThat(timer("plan", "success", "none").count()).isEqualTo(1);
    assertThat(timer("apply", "success", "none").count()).isEqualTo(1);
    assertThat(meters.get(TIMER).timers()).hasSize(2);
  }

  @Test
  void aGuardRefusalIsTaggedRefusedByGuardWithItsCode() {
    Throwable thrown = catchThrowable(() -> observed.planRevoke(ADMIN).apply());

    assertThat(thrown).isInstanceOf(UnsafeChangeException.class);
    assertThat(timer("apply", "refused-by-guard", "LOCKOUT_LAST_ADMIN").count()).isEqualTo(1);
  }

  @Test
  void aLostRaceIsTaggedConflictRetriedAndCountedAsARetry() {
    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);

    observed.plan(DEVS).apply();

    assertThat(timer("apply", "conflict-retried", "none").count()).isEqualTo(1);
    Counter retries =
        meters
            .get(TIMER + "." + MicrometerListener.RETRY)
            .tags("operation", "apply", "backend", "aws-auth")
            .counter();
    assertThat(retries.count()).isEqualTo(1.0);
  }

  @Test
  void aFailureIsTaggedFailedWithItsErrorCode() {
    for (int i = 0; i < 8; i++) {
      prod.failNext(Change.Layer.IDENTITY, WriteFault.UNAVAILABLE);
    }

    Throwable thrown = catchThrowable(() -> observed.plan(DEVS).apply());

    assertThat(thrown).isInstanceOf(BackendException.class);
    Timer failed = timer("apply", "failed", "BACKEND_FAILURE");
    assertThat(failed.count()).isEqualTo(1);
    assertThat(failed.getId().getTag("error")).isEqualTo("BackendException");
    assertThat(
            meters
                .get(TIMER + "." + MicrometerListener.RETRY)
                .tags("operation", "apply")
                .counter()
                .count())
        .isEqualTo(7.0);
  }

  @Test
  void readsAndTheBreakGlassSweepAreTimedToo() {
    observed
        .plan(
            ClusterAccess.breakGlass(IamRole.of("arn:aws:iam::111122223333:role/BreakGlass"))
                .forDuration(Duration.ofHours(1))
                .because("INC-7"))
        .apply();
    prod.advanceClock(Duration.ofHours(2));
    Request get = Request.verb("get").resource("pods").inNamespace("apps");

    observed.explain(Caller.of("arn:aws:sts::111122223333:assumed-role/Admin/jane"), get);
    observed.whoCan(get);
    observed.audit();
    observed.snapshot();
    observed.expireBreakGlass();

    for (String op : List.of("explain", "who-can", "audit", "snapshot", "break-glass-expire")) {
      assertThat(timer(op, "success", "none").count()).as(op).isEqualTo(1);
    }
    assertThat(
            meters
                .get(TIMER + "." + MicrometerListener.BREAK_GLASS_EXPIRED)
                .tags("operation", "apply", "backend", "aws-auth")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void noTagNamesAPrincipalOrAReason() {
    prod.failNext(Change.Layer.IDENTITY, WriteFault.CONFLICT);
    observed.plan(DEVS).apply();
    Throwable refused = catchThrowable(() -> observed.planRevoke(ADMIN).apply());
    observed.whoCan(Request.verb("get").resource("pods").inNamespace("apps"));

    assertThat(refused).isInstanceOf(UnsafeChangeException.class);
    List<String> values =
        meters.getMeters().stream()
            .map(Meter::getId)
            .flatMap(id -> id.getTags().stream())
            .map(Tag::getValue)
            .toList();
    assertThat(values).isNotEmpty().noneMatch(v -> v.contains("arn:") || v.contains("acme:devs"));
    Map<String, List<String>> keys =
        meters.getMeters().stream()
            .collect(
                Collectors.groupingBy(
                    m -> m.getId().getName(),
                    Collectors.mapping(
                        m -> m.getId().getTags().stream().map(Tag::getKey).toList().toString(),
                        Collectors.toList())));
    // one set of tag keys per meter name, as Prometheus requires
    keys.values().forEach(sets -> assertThat(sets).containsOnly(sets.get(0)));
  }

  @Test
  void eachOperationIsAValidObservationNestedInTheCallersAndCarryingTheCluster() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    ClusterAccess traced =
        prod.clusterAccessBuilder().listener(MicrometerListener.of(registry)).build();
    Observation caller = Observation.createNotStarted("job", registry);

    caller.observe(() -> traced.expireBreakGlass());

    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(TIMER, 3)
        .hasObservationWithNameEqualTo(TIMER)
        .that()
        .hasContextualNameEqualTo("eks-access break-glass-expire")
        .hasHighCardinalityKeyValue("cluster", "prod")
        .hasLowCardinalityKeyValue("outcome", "success")
        .hasParentObservationEqualTo(caller);
    TestObservationRegistryAssert.assertThat(registry)
        .hasHandledContextsThatSatisfy(
            contexts -> {
              Map<String, Observation.Context> byOperation =
                  contexts.stream()
                      .filter(c -> c instanceof OperationContext)
                      .collect(
                          Collectors.toMap(
                              c -> ((OperationContext) c).operation().kind().tag(), c -> c));
              assertThat(byOperation).containsOnlyKeys("break-glass-expire", "plan", "apply");
              Observation.Context plan = Objects.requireNonNull(byOperation.get("plan"));
              var sweep = Objects.requireNonNull(plan.getParentObservation()); // nested in it
              assertThat(sweep.getContextView()).isSameAs(byOperation.get("break-glass-expire"));
              OperationContext apply = (OperationContext) byOperation.get("apply");
              assertThat(Objects.requireNonNull(apply).outcome())
                  .contains(Operation.Outcome.SUCCESS);
            });
  }

  @Test
  void aConventionCanAddTheClusterAsATag() {
    ClusterAccess perCluster =
        prod.clusterAccessBuilder()
            .listener(
                MicrometerListener.of(
                    meteredRegistry(),
                    new DefaultOperationObservationConvention() {
                      @Override
                      public KeyValues getLowCardinalityKeyValues(OperationContext context) {
                        return super.getLowCardinalityKeyValues(context)
                            .and("cluster", context.operation().cluster());
                      }
                    }))
            .build();

    perCluster.audit();

    assertThat(meters.get(TIMER).tags("operation", "audit", "cluster", "prod").timer().count())
        .isEqualTo(1);
  }

  private io.micrometer.observation.ObservationRegistry meteredRegistry() {
    var registry = io.micrometer.observation.ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
    return registry;
  }
}
