package dev.caravan.engine;

/** A language as {@code GET /languages} lists it. */
public record Language(String id, String name, String version, boolean compiled) {
}
