package dev.eksaccess.awsauth;

import java.util.Objects;

/**
 * A mistake in aws-auth that EKS would silently accept, ignore or misread, with where it is and how
 * to fix it.
 *
 * <pre>{@code
 * for (Finding f : doc.findings()) {
 *   System.out.println(f);   // ERROR ROLE_PATH mapRoles line 1 column 12: ... Write arn:...
 * }
 * }</pre>
 *
 * @param code what kind of mistake
 * @param severity how bad
 * @param section the data key it is in
 * @param line the 1-based line within the section's text
 * @param column the 1-based column
 * @param message what is wrong, and the fix
 */
public record Finding(
    Code code, Severity severity, Section section, int line, int column, String message) {
  /** How bad a finding is. */
  public enum Severity {
    /** EKS ignores or misreads something: someone does not get the access written. */
    ERROR,
    /** Works, but is risky or surprising. */
    WARNING
  }

  /** The mistakes eks-access finds. */
  public enum Code {
    /** A YAML error (or a section that is not a list) makes EKS drop the whole section. */
    SECTION_DROPPED,
    /** Tab characters in indentation, which YAML forbids. */
    TAB_INDENT,
    /** A role ARN with an IAM path in {@code rolearn}: never matches. */
    ROLE_PATH,
    /** An STS assumed-role ARN in {@code rolearn}: never matches. */
    STS_ARN,
    /** An entry without its ARN, which EKS drops. */
    MISSING_ARN,
    /** The same ARN twice: the earlier entry is shadowed. */
    DUPLICATE_ARN,
    /** {@code groups} given as a string: EKS reads no groups at all. */
    GROUPS_NOT_A_LIST,
    /** A field whose type EKS cannot use, such as a number for a username. */
    WRONG_TYPE,
    /** {@code mapAccounts} items that are not plain account ids. */
    ACCOUNT_NOT_AN_ID,
    /** A {@code {{...}}} placeholder EKS does not know; it stays verbatim. */
    UNKNOWN_PLACEHOLDER,
    /** No username: EKS uses the empty username, so audit logs cannot tell callers apart. */
    MISSING_USERNAME,
    /** Leading or trailing whitespace in a name: Kubernetes compares names exactly. */
    WHITESPACE,
    /** A {@code system:masters} mapping: bypasses RBAC entirely. */
    SYSTEM_MASTERS,
    /** {@code {{SessionName}}} in the username of a role people assume: they choose it. */
    SESSION_NAME_TRUST,
    /** A key EKS ignores, often a misspelling. */
    UNKNOWN_KEY,
    /**
     * U+0085, U+2028 or U+2029 in the text: EKS's YAML 1.1 reader breaks the line there, while YAML
     * 1.2 tools and most editors show one line, so the entries are not what they look like.
     */
    LINE_SEPARATOR,
    /**
     * A username or group holding a control or invisible character (or a line separator): not what
     * it looks like. eks-access never writes one, and does not model the entry.
     */
    HIDDEN_CHARACTER,
    /**
     * A username or group template that EKS can render into a reserved name ({@code
     * {{SessionName}}:masters} is {@code system:masters} for a session named {@code system}).
     */
    RESERVED_TEMPLATE,
    /**
     * A role ARN under {@code mapUsers} or a user ARN under {@code mapRoles}: EKS matches both
     * sections, so it works, but tools that read one section per kind miss it.
     */
    MISPLACED_ARN,
    /**
     * An ARN that is a placeholder or an example ({@code <ACCOUNT_ID>}, {@code ${...}}, the
     * documentation account {@code 123456789012}) or is missing its name: it matches no caller.
     */
    PLACEHOLDER_ARN,
    /**
     * A data key that looks like a section but is not one ({@code MapRoles}, {@code mapRole}): EKS
     * reads only {@code mapRoles}, {@code mapUsers} and {@code mapAccounts}, exactly so spelled.
     */
    MISNAMED_KEY,
    /**
     * A group or username with a character no one means in a name ({@code system:nodes>}, a quote,
     * a comma): usually a typo or a pasting accident, and it names no one.
     */
    STRAY_CHARACTER
  }

  /** Checks for nulls. */
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return severity
        + " "
        + code
        + " "
        + section.key()
        + " line "
        + line
        + " column "
        + column
        + ": "
        + message;
  }
}
