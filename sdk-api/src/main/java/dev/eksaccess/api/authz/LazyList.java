package dev.eksaccess.api.authz;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An unmodifiable list computed on first use, so that a decision whose near misses nobody reads
 * costs no text. Thread-safe: racing readers may each compute it, and get equal lists.
 *
 * @param <E> the element type
 */
final class LazyList<E> extends AbstractList<E> implements RandomAccess {
  private final Supplier<List<E>> compute;
  private volatile @Nullable List<E> computed;

  /**
   * A list that {@code compute} fills when it is first read.
   *
   * @param compute gives the elements; called once, or once by each of racing first readers
   */
  public LazyList(Supplier<List<E>> compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  private List<E> list() {
    List<E> list = computed;
    if (list == null) {
      list = List.copyOf(compute.get());
      computed = list;
    }
    return list;
  }

  @Override
  public E get(int index) {
    return list().get(index);
  }

  @Override
  public int size() {
    return list().size();
  }
}
