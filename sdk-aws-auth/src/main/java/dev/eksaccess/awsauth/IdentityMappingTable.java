package dev.eksaccess.awsauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The identity mappings of an aws-auth, as {@code eksctl get iamidentitymapping} lists them: one
 * row per role or user entry EKS keeps, then one per {@code mapAccounts} account.
 *
 * <pre>{@code
 * IdentityMappingTable t = ids.identityMappings();
 * System.out.println(t);          // ARN  USERNAME  GROUPS  ACCOUNT
 * String json = t.toJson();
 * }</pre>
 *
 * @param rows the rows, in file order
 */
public record IdentityMappingTable(List<Row> rows) {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One mapping.
   *
   * @param arn the role or user ARN; empty for an account row
   * @param username the username template; empty when none is set
   * @param groups the groups
   * @param account the account id of a {@code mapAccounts} row; empty otherwise
   */
  public record Row(String arn, String username, List<String> groups, String account) {
    /** Checks for nulls and copies the groups. */
    public Row {
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(account, "account");
      groups = List.copyOf(groups);
    }
  }

  /** Copies the rows. */
  public IdentityMappingTable {
    rows = List.copyOf(rows);
  }

  /**
   * The table of a document.
   *
   * @param doc the document
   * @return the table
   */
  public static IdentityMappingTable of(AwsAuthDocument doc) {
    List<Row> rows = new ArrayList<>();
    for (List<AwsAuthEntry> section : List.of(doc.roleMappings(), doc.userMappings())) {
      for (AwsAuthEntry e : section) {
        if (AwsAuthDocument.isInForce(e) && !e.arn().isEmpty()) {
          rows.add(new Row(e.arn(), e.username().orElse(""), e.groups(), ""));
        }
      }
    }
    for (String account : doc.accounts()) {
      rows.add(new Row("", "", List.of(), account));
    }
    return new IdentityMappingTable(rows);
  }

  /**
   * The rows as a JSON array of objects with {@code arn}, {@code username}, {@code groups} and
   * {@code account} (the last only on account rows).
   *
   * @return the JSON
   */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (Row r : rows) {
        json.writeStartObject();
        if (r.account().isEmpty()) {
          json.writeStringField("arn", r.arn());
          json.writeStringField("username", r.username());
          json.writeArrayFieldStart("groups");
          for (String g : r.groups()) {
            json.writeString(g);
          }
          json.writeEndArray();
        } else {
          json.writeStringField("account", r.account());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** The rows as an aligned text table with the header {@code ARN USERNAME GROUPS ACCOUNT}. */
  @Override
  public String toString() {
    String[] header = {"ARN", "USERNAME", "GROUPS", "ACCOUNT"};
    List<String[]> cells = new ArrayList<>();
    cells.add(header);
    for (Row r : rows) {
      cells.add(new String[] {r.arn(), r.username(), String.join(",", r.groups()), r.account()});
    }
    int[] width = new int[header.length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
