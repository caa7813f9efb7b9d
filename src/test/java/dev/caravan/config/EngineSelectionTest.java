package dev.caravan.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.config.EngineSelection.Engine;
import dev.caravan.config.EngineSelection.Environment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {

    private static EngineSelection read(Map<String, String> settings) {
        return EngineSelection.read(TestSettings.defaultsWith(settings));
    }

    @Test
    void aDeploymentThatSaysNothingRunsTheSandboxAndIsProduction() {
        assertEquals(new EngineSelection(Engine.SANDBOX, Environment.PRODUCTION), read(Map.of()));
    }

    @Test
    void theNoopEngineIsRefusedInProductionEvenWhenProductionIsOnlyTheDefault() {
        String refusal = assertThrows(InvalidSettingException.class, () -> read(Map.of("caravan.engine", "noop"))).getMessage();
        assertTrue(refusal.contains("'caravan.engine'"), refusal);
        assertTrue(refusal.contains("caravan.environment=development"), refusal);
        assertThrows(InvalidSettingException.class,
                () -> read(Map.of("caravan.engine", "noop", "caravan.environment", "production")));
    }

    @Test
    void theNoopEngineStartsOnlyOnAMachineMarkedDevelopment() {
        assertEquals(new EngineSelection(Engine.NOOP, Environment.DEVELOPMENT),
                read(Map.of("caravan.engine", "NOOP", "caravan.environment", "development")));
    }

    @Test
    void unknownValuesNameTheirKey() {
        assertTrue(assertThrows(InvalidSettingException.class, () -> read(Map.of("caravan.engine", "fast")))
                .getMessage().contains("'caravan.engine': expected one of sandbox, noop"));
        assertTrue(assertThrows(InvalidSettingException.class, () -> read(Map.of("caravan.environment", "prod")))
                .getMessage().contains("'caravan.environment': expected one of production, development"));
    }
}
