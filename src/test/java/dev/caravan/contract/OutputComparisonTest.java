package dev.caravan.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputComparisonTest {

    @Test
    void ignoresCarriageReturnsTrailingSpacesAndTrailingBlankLines() {
        assertTrue(OutputComparison.matches("1 2\n3\n", "1 2  \r\n3\t\r\n\n\n"));
        assertTrue(OutputComparison.matches("3", "3\n"));
        assertTrue(OutputComparison.matches("", "\n \n"));
    }

    @Test
    void stillSeesLeadingSpacesInnerBlankLinesAndDifferentText() {
        assertFalse(OutputComparison.matches("3\n", " 3\n"));
        assertFalse(OutputComparison.matches("1\n2\n", "1\n\n2\n"));
        assertFalse(OutputComparison.matches("1 2\n", "1  2\n"));
        assertFalse(OutputComparison.matches("3\n", "4\n"));
    }
}
