package dev.eksaccess.api.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eksaccess.api.spi.BreakGlassMark;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The aws-auth ConfigMap annotation that holds break-glass marks: a JSON object from each mapped
 * ARN, as written in aws-auth, to that mark's attributes. One annotation, because annotation keys
 * cannot hold an ARN.
 */
@BackendSupport
public final class BreakGlassAnnotation {
  /** The annotation key. */
  public static final String KEY = "eks-access.dev/break-glass";

  private static final JsonFactory JSON = new JsonFactory();

  private BreakGlassAnnotation() {}

  /**
   * Reads the annotation's marks. An annotation that is not the JSON eks-access writes (a hand
   * edit) reads as no marks, and a single unreadable mark as none for that ARN: the mappings then
   * count as ordinary, permanent ones, which the audit shows and no sweep removes.
   */
  public static Map<String, BreakGlassMark> read(@Nullable String value) {
    Map<String, BreakGlassMark> out = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Map.of();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String arn = p.currentName();
        if (p.nextToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken t = p.nextToken();
          if (t == JsonToken.VALUE_STRING) {
            attributes.put(name, p.getText());
          } else {
            p.skipChildren();
          }
        }
        Optional<BreakGlassMark> mark = BreakGlassMark.fromAttributes(attributes);
        mark.ifPresent(m -> out.put(arn, m));
      }
      return out;
    } catch (IOException unreadable) {
      return Map.of();
    }
  }

  /** Writes the marks, in the map's order. */
  public static String write(Map<String, BreakGlassMark> marks) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (Map.Entry<String, BreakGlassMark> e : marks.entrySet()) {
        json.writeObjectFieldStart(e.getKey());
        for (Map.Entry<String, String> a : e.getValue().attributes().entrySet()) {
          json.writeStringField(a.getKey(), a.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }
}
