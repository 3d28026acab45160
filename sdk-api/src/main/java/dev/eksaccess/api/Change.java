package dev.eksaccess.api;

import java.util.List;
import java.util.Objects;

/**
 * One change in a {@link Plan}: which layer, what happens to which object, and the details.
 *
 * <pre>{@code
 * for (Change c : plan.changes()) {
 *   System.out.println(c.layer() + " " + c.action() + " " + c.object());
 * }
 * }</pre>
 *
 * @param layer identity mapping (layer 1) or RBAC (layer 2)
 * @param action create, update, delete, or replace (delete and create)
 * @param object what changes, such as {@code mapping arn:aws:iam::111122223333:role/Dev}
 * @param details one line per changed field, such as {@code groups + acme:devs}
 */
public record Change(Layer layer, Action action, String object, List<String> details) {
  /** The layer a change belongs to. */
  public enum Layer {
    /** Layer 1: aws-auth or Access Entries. */
    IDENTITY,
    /** Layer 2: Kubernetes RBAC. */
    RBAC
  }

  /** What happens to the object. */
  public enum Action {
    /** The object is created. */
    CREATE("+"),
    /** The object is changed in place. */
    UPDATE("~"),
    /** The object is deleted. */
    DELETE("-"),
    /** The object is deleted and created again, because a field cannot change in place. */
    REPLACE("-/+");

    private final String symbol;

    Action(String symbol) {
      this.symbol = symbol;
    }

    /**
     * The diff symbol: {@code +}, {@code ~}, {@code -} or {@code -/+}.
     *
     * @return the symbol
     */
    public String symbol() {
      return symbol;
    }
  }

  /** Checks for nulls and copies the details. */
  public Change {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(object, "object");
    details = List.copyOf(details);
  }

  /** Reads like a diff line: {@code "+ mapping arn:... groups + acme:devs"}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(action.symbol()).append(' ').append(object);
    for (String d : details) {
      s.append("\n      ").append(d);
    }
    return s.toString();
  }
}
