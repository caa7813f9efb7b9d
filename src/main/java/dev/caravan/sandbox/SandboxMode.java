package dev.caravan.sandbox;

import java.util.Locale;

/** Whether user programs run inside bubblewrap. {@link #NONE} is a development switch, never a default. */
public enum SandboxMode {
    BWRAP,
    NONE;

    static SandboxMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("caravan.sandbox must be 'bwrap' or 'none', not '" + value + "'");
        }
    }
}
