package dev.eksaccess.api.authz;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An access matrix's rows as an unmodifiable map, resource to allowed verbs, in resource name
 * order: a view over the snapshot's row names, shared by every matrix of a scope kind, and one byte
 * of cells per row, so that a matrix costs no map of its own.
 */
final class MatrixCells extends AbstractMap<String, Set<String>> {
  private final String[] names; // sorted, distinct
  private final byte[] cells;
  private final List<Set<String>> verbSets; // by bit mask

  MatrixCells(String[] names, byte[] cells, List<Set<String>> verbSets) {
    this.names = names;
    this.cells = cells;
    this.verbSets = verbSets;
  }

  private int row(@Nullable Object key) {
    return key instanceof String name ? Arrays.binarySearch(names, name) : -1;
  }

  @Override
  public @Nullable Set<String> get(@Nullable Object key) {
    int r = row(key);
    return r < 0 ? null : verbSets.get(cells[r] & 0xff);
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return row(key) >= 0;
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public Set<Map.Entry<String, Set<String>>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Set<String>>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Map.Entry<String, Set<String>> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int r = next++;
            return Map.entry(names[r], verbSets.get(cells[r] & 0xff));
          }
        };
      }

      @Override
      public int size() {
        return names.length;
      }
    };
  }
}
