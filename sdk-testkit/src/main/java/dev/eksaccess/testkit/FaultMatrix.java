package dev.eksaccess.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The harness of a fault matrix: every fault of a wire-level fake (and a concurrent writer) on
 * every request kind a scenario makes, each cell checked the same way: the scenario run on a fresh
 * fake without the fault and on one with it ends in the same state, and the fault met a request.
 * The backend modules' fault-matrix tests and users' own share it.
 *
 * <pre>{@code
 * static Stream<FaultMatrix.Case<FakeKubeApi>> cases() {
 *   return FaultMatrix.cases(List.of("PUT"), KubeFault.everyKind(),
 *       (api, method) -> api.beforeNext(method, () -> theirWrite(api))).stream();
 * }
 *
 * @ParameterizedTest(name = "{0}")
 * @MethodSource("cases")
 * void theClusterEndsAsWithoutTheFault(FaultMatrix.Case<FakeKubeApi> c) {
 *   FaultMatrix.run(c, this::seeded, MyTest::scenario, MyTest::state, MyTest::withoutTheirs);
 * }
 * }</pre>
 */
public final class FaultMatrix {
  /** The name of the concurrent-writer case. */
  public static final String CONCURRENT_WRITER = "concurrent writer";

  private FaultMatrix() {}

  /**
   * One cell: a fault, or another writer, met by the next request of one kind.
   *
   * @param key the request kind: an HTTP method, or an EKS operation
   * @param fault the fault's name, or {@link #CONCURRENT_WRITER}
   * @param inject queues it on a fake for the request kind
   * @param <A> the fake
   */
  public record Case<A>(String key, String fault, BiConsumer<A, String> inject) {
    /**
     * Whether another writer rather than a fault.
     *
     * @return true for the concurrent-writer case
     */
    public boolean isConcurrentWriter() {
      return fault.equals(CONCURRENT_WRITER);
    }

    @Override
    public String toString() {
      return fault + " on " + key;
    }
  }

  /**
   * Every fault on every request kind, and a concurrent writer on each.
   *
   * @param keys the request kinds the scenario makes
   * @param faults the faults by name, such as {@link KubeFault#everyKind()}
   * @param otherWriter queues another writer's change before the next request of a kind, or null
   *     for none
   * @param <F> the fault type
   * @param <A> the fake
   * @return the cells, by request kind then fault
   */
  public static <F, A extends WireFake<F, A>> List<Case<A>> cases(
      List<String> keys, Map<String, F> faults, BiConsumer<A, String> otherWriter) {
    List<Case<A>> out = new ArrayList<>();
    for (String key : keys) {
      faults.forEach((name, f) -> out.add(new Case<>(key, name, (api, k) -> api.inject(k, f))));
      out.add(new Case<>(key, CONCURRENT_WRITER, otherWriter));
    }
    return out;
  }

  /**
   * Every fault on every request kind, without a concurrent writer (reads meet none: another writer
   * before the first read is no race).
   *
   * @param keys the request kinds
   * @param faults the faults by name
   * @param <F> the fault type
   * @param <A> the fake
   * @return the cells
   */
  public static <F, A extends WireFake<F, A>> List<Case<A>> faultsOnly(
      List<String> keys, Map<String, F> faults) {
    List<Case<A>> out = new ArrayList<>();
    for (String key : keys) {
      faults.forEach((name, f) -> out.add(new Case<>(key, name, (api, k) -> api.inject(k, f))));
    }
    return out;
  }

  /**
   * Runs one cell: the scenario on a fresh fake, then on another with the cell's fault, and asserts
   * that the fault met a request and both end in the same state (once the concurrent writer's own
   * change is taken out of the second).
   *
   * @param c the cell
   * @param seeded makes a fresh, seeded fake
   * @param scenario what the code under test does
   * @param state what a reader sees of a fake
   * @param withoutTheirs the state without the concurrent writer's change (asserting it landed)
   * @param <A> the fake
   * @param <S> the state
   * @return the two fakes, for further checks
   */
  public static <A extends WireFake<?, A>, S> Runs<A> run(
      Case<A> c,
      Supplier<A> seeded,
      Consumer<A> scenario,
      Function<A, S> state,
      UnaryOperator<S> withoutTheirs) {
    A clean = seeded.get();
    scenario.accept(clean);
    S want = state.apply(clean);

    A faulted = seeded.get();
    c.inject().accept(faulted, c.key());
    scenario.accept(faulted);
    assertThat(faulted.pendingFaults()).as("the fault met a request").isZero();

    S got = state.apply(faulted);
    if (c.isConcurrentWriter()) {
      got = withoutTheirs.apply(got);
    }
    assertThat(got).as(c.toString()).isEqualTo(want);
    return new Runs<>(clean, faulted);
  }

  /**
   * The two fakes of a cell.
   *
   * @param clean the run without the fault
   * @param faulted the run with it
   * @param <A> the fake
   */
  public record Runs<A>(A clean, A faulted) {}
}
