package dev.caravan.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.queue.DeadLetter;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@SuppressWarnings("rawtypes")
class StrictSchemasTest {

    private static Map<String, Schema> schemas;

    @BeforeAll
    static void readTheClassesAsCamelOpenApiDoes() {
        StrictSchemas.install();
        schemas = new HashMap<>(ModelConverters.getInstance().readAll(ExecuteResult.class));
        schemas.putAll(ModelConverters.getInstance().readAll(ApiError.class));
        schemas.putAll(ModelConverters.getInstance().readAll(DeadLetter.class));
    }

    /** Camel's converter names schemas by their class's full name; its reader shortens them in the document. */
    private static Schema schema(String simpleName) {
        return schemas.entrySet().stream().filter(entry -> entry.getKey().equals(simpleName)
                        || entry.getKey().endsWith("." + simpleName)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no schema " + simpleName + " in " + schemas.keySet()));
    }

    @Test
    void ourObjectsAllowNoOtherField() {
        assertEquals(Boolean.FALSE, schema("ExecuteResult").getAdditionalProperties());
        assertEquals(Boolean.FALSE, schema("TestResult").getAdditionalProperties());
    }

    @Test
    void aFieldWrittenAsNullIsNullableAndAPrimitiveOrAnOmittedNullIsNot() {
        Map<String, Schema> test = schema("TestResult").getProperties();
        assertEquals(Boolean.TRUE, test.get("signal").getNullable());
        assertNull(test.get("cpu_time_ms").getNullable(), "a long is never null");
        // ApiError is @JsonInclude(NON_NULL): a null field is left out, never written as null.
        assertNull(((Schema<?>) schema("ApiError").getProperties().get("field")).getNullable());
    }

    @Test
    void aNullableReferenceIsTheTypeOrNull() {
        Schema compile = (Schema) schema("ExecuteResult").getProperties().get("compile");
        assertEquals(2, compile.getAnyOf().size());
        assertTrue(((Schema) compile.getAnyOf().get(0)).get$ref().endsWith("CompileResult"));
    }

    @Test
    void aJsonNodeFieldPromisesNoType() {
        assertNull(((Schema<?>) schema("DeadLetter").getProperties().get("job")).getType());
    }
}
