package dev.caravan.ingress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.openapi.RestModelConverters;

/**
 * Teaches the OpenAPI schemas that camel-openapi-java derives from Caravan's Jackson classes (the {@code type},
 * {@code outType} and {@code responseModel} of the REST DSL) the two rules of Caravan's JSON that swagger-core cannot
 * see in the classes:
 * <ul>
 *   <li>{@code additionalProperties: false}: the API refuses unknown fields
 *       ({@code FAIL_ON_UNKNOWN_PROPERTIES}, {@link dev.caravan.contract.Json}) and writes no field its class lacks,
 *       so a misspelt or renamed field breaks the schema as it breaks the API;</li>
 *   <li>{@code nullable: true} on every property that is not a Java primitive and that the class writes even when
 *       null (no {@code @JsonInclude(NON_NULL)}): Jackson writes {@code null} there, which OpenAPI 3.0 forbids
 *       unless the schema says so.</li>
 * </ul>
 * Only classes of {@code dev.caravan} are touched. A property typed {@code JsonNode} or {@code Object} holds any JSON,
 * so its schema says nothing rather than swagger-core's {@code type: object}.
 */
public final class StrictSchemas implements ModelConverter {

    private static final String OURS = "dev.caravan.";

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * Puts the rules first in swagger-core's OpenAPI 3.0 converter chain, after camel-openapi-java has added its own
     * (it does so when its class is first loaded, and the last converter added is asked first).
     */
    public static void install() {
        new RestModelConverters(false);
        ModelConverters converters = ModelConverters.getInstance();
        if (converters.getConverters().stream().noneMatch(StrictSchemas.class::isInstance)) {
            converters.addConverter(new StrictSchemas());
        }
    }

    private static boolean writesNull(JsonInclude.Include property, JsonInclude.Include owner) {
        JsonInclude.Include inclusion = property == null || property == JsonInclude.Include.USE_DEFAULTS ? owner : property;
        return inclusion == null || inclusion == JsonInclude.Include.USE_DEFAULTS || inclusion == JsonInclude.Include.ALWAYS;
    }

    /** OpenAPI 3.0 ignores {@code nullable} beside a {@code $ref}, so a nullable reference is "the type, or null". */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema nullable(Schema field) {
        if (field.get$ref() == null) {
            return field.nullable(Boolean.TRUE);
        }
        Schema nothing = new Schema<>().type("object").nullable(Boolean.TRUE);
        nothing.setEnum(new ArrayList<>(Collections.singletonList(null)));
        return new Schema<>().anyOf(List.of(field, nothing));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Schema resolve(AnnotatedType annotated, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (!chain.hasNext()) {
            return null;
        }
        Schema schema = chain.next().resolve(annotated, context, chain);
        JavaType type = mapper.constructType(annotated.getType());
        if (schema == null || type.isContainerType() || !type.getRawClass().getName().startsWith(OURS)
                || schema.getProperties() == null) {
            return schema;
        }
        schema.setAdditionalProperties(Boolean.FALSE);
        BeanDescription bean = mapper.getSerializationConfig().introspect(type);
        JsonInclude.Include classInclusion = bean.findPropertyInclusion(JsonInclude.Value.empty()).getValueInclusion();
        Map<String, Schema> properties = schema.getProperties();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            Schema field = properties.get(property.getName());
            if (field == null) {
                continue;
            }
            Class<?> javaType = property.getRawPrimaryType();
            if (JsonNode.class.isAssignableFrom(javaType) || javaType == Object.class) {
                // Any JSON at all (a poison message's body, a result kept as it came): no type to promise.
                properties.put(property.getName(), new Schema<>());
            } else if (!javaType.isPrimitive() && writesNull(property.findInclusion().getValueInclusion(), classInclusion)) {
                properties.put(property.getName(), nullable(field));
            }
        }
        return schema;
    }
}
