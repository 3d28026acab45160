package dev.eksaccess.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The JSON forms of results (plan, audit, decision): one object, written with Jackson. */
final class JsonText {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes the fields of one JSON object. */
  interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  private JsonText() {}

  /** A JSON object with these fields. */
  static String object(Fields fields) {
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
