package dev.eksaccess.api.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON forms of results (plan, audit, decision, who-can, aws-auth findings): one object,
 * written with Jackson's streaming generator.
 *
 * <pre>{@code
 * String json = JsonText.object(j -> j.writeStringField("schema", "eks-access/x/v1"));
 * }</pre>
 */
@BackendSupport
public final class JsonText {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes the fields of one JSON object. */
  public interface Fields {
    /**
     * Writes the fields into the open object.
     *
     * @param json the generator, inside the object
     * @throws IOException never, for a string
     */
    void write(JsonGenerator json) throws IOException;
  }

  private JsonText() {}

  /**
   * A JSON object with these fields.
   *
   * @param fields writes the fields
   * @return the object's text
   */
  public static String object(Fields fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }
}
