package dev.caravan.sandbox;


/** Whether user programs run inside bubblewrap. {@link #NONE} is a development switch, never a default. */
public enum SandboxMode {
    BWRAP,
    NONE
}
