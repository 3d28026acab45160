package dev.eksaccess.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Strings an attacker would try as a Kubernetes username or group: characters of every Unicode
 * general category, YAML indicators and YAML 1.1 look-alikes, template braces, reserved prefixes,
 * joined one to four at a time. The first seeds are the reproducers from the security review.
 */
final class HostileStrings {
  /** The reproducers, tried first. */
  static final List<String> KNOWN =
      List.of(
          "dev\u2028  - system:masters",
          "dev\u2029  - system:masters",
          "dev\u0085  - system:masters",
          "system:{{SessionName}}",
          "system:{{SessionNameRaw}}",
          "{{SessionName}}:masters",
          "\uD800dev",
          "dev\uDC00",
          "\uFEFFdev",
          "dev\n- system:masters",
          "\"dev\", \"system:masters\"",
          "équipe",
          "acme:{{SessionName}}",
          "0o17",
          "1:20",
          "2001-12-14",
          "<<",
          "yes");

  static final List<String> YAML =
      List.of(
          "-",
          "- ",
          "?",
          ":",
          ": ",
          ",",
          "[",
          "]",
          "{",
          "}",
          "#",
          " #",
          "&a",
          "*a",
          "!",
          "!!str",
          "|",
          "|+",
          ">",
          "'",
          "\"",
          "%",
          "@",
          "`",
          "--- ",
          "...",
          "\\",
          "\\n",
          "\\L",
          "<<",
          "=",
          "~",
          "null",
          "yes",
          "no",
          "on",
          "off",
          "y",
          "n",
          "true",
          "0o17",
          "0x1F",
          "+0x1F",
          "1e3",
          ".inf",
          ".5",
          "1_000",
          "1:20",
          "2001-12-14",
          "0755");

  static final List<String> TEMPLATES =
      List.of(
          "{{SessionName}}",
          "{{SessionNameRaw}}",
          "{{AccountID}}",
          "{{AccessKeyID}}",
          "{{EC2PrivateDNSName}}",
          "{{Unknown}}",
          "{{",
          "}}",
          "{{SessionName");

  static final List<String> RESERVED =
      List.of(
          "system:",
          "eks:",
          "aws:",
          "amazon:",
          "iam:",
          "system:masters",
          "system:nodes",
          "system:node:",
          "sys",
          "tem:",
          "masters",
          "System:");

  static final List<String> WORDS =
      List.of(
          "acme", "dev", "team", "ops", "a", "Dev Team", "x-y", "arn:aws:iam::111122223333:role/X");

  /** Sample code points of each general category, found once by scanning all of Unicode. */
  private static final List<List<Integer>> BY_CATEGORY = byCategory();

  private HostileStrings() {}

  private static List<List<Integer>> byCategory() {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      out.add(new ArrayList<>());
    }
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      List<Integer> bucket = out.get(Character.getType(cp));
      // keep every code point of the small categories, a spread of the large ones
      if (bucket.size() < 64 || cp % 97 == 0) {
        bucket.add(cp);
      }
    }
    out.removeIf(List::isEmpty);
    return out;
  }

  /** The string for a seed: a known reproducer for the first seeds, then random ones. */
  static String generate(Random random, long seed) {
    if (seed < KNOWN.size()) {
      return KNOWN.get((int) seed);
    }
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(4) + 1; i > 0; i--) {
      switch (random.nextInt(6)) {
        case 0 -> {
          List<Integer> category = BY_CATEGORY.get(random.nextInt(BY_CATEGORY.size()));
          int cp = category.get(random.nextInt(category.size()));
          if (Character.getType(cp) == Character.SURROGATE) {
            b.append((char) cp); // alone, as a string from a broken decoder would hold it
          } else {
            b.appendCodePoint(cp);
          }
        }
        case 1 -> b.append(YAML.get(random.nextInt(YAML.size())));
        case 2 -> b.append(TEMPLATES.get(random.nextInt(TEMPLATES.size())));
        case 3 -> b.append(RESERVED.get(random.nextInt(RESERVED.size())));
        default -> b.append(WORDS.get(random.nextInt(WORDS.size())));
      }
    }
    return b.toString();
  }
}
