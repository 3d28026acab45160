package dev.eksaccess.api.support;

/**
 * Quoting for messages: a value shown with what would hide in it (newlines, tabs, controls, format
 * characters, line separators, unpaired surrogates), so a message never carries them itself.
 */
@BackendSupport
public final class Texts {
  private Texts() {}

  /**
   * The value in double quotes, with newlines, tabs and quotes escaped, and every character a name
   * may not hold ({@link Names#isForbidden}) as a backslash-u escape of its UTF-16 units.
   */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        default -> {
          boolean pair =
              Character.isHighSurrogate(c)
                  && i + 1 < value.length()
                  && Character.isLowSurrogate(value.charAt(i + 1));
          int cp = pair ? value.codePointAt(i) : c;
          if (Names.isForbidden(cp)) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            if (pair) {
              out.append(
                  String.format(java.util.Locale.ROOT, "\\u%04x", (int) value.charAt(i + 1)));
            }
          } else {
            out.append(c);
            if (pair) {
              out.append(value.charAt(i + 1));
            }
          }
          if (pair) {
            i++;
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Whether two different names differ only in their digits ({@code team-3}, {@code team-4}): the
   * names of siblings (tenants, environments), not a typo of one another, so never a "did you
   * mean".
   */
  public static boolean differOnlyInDigits(String a, String b) {
    return !a.equals(b) && a.replaceAll("[0-9]", "").equals(b.replaceAll("[0-9]", ""));
  }

  /** The edit (Levenshtein) distance between two texts, ignoring case: for "did you mean". */
  public static int editDistance(String a, String b) {
    String x = a.toLowerCase(java.util.Locale.ROOT);
    String y = b.toLowerCase(java.util.Locale.ROOT);
    int[] prev = new int[y.length() + 1];
    int[] cur = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[y.length()];
  }
}
