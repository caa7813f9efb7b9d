package dev.caravan.config;

/** A configuration value is missing or malformed; the message names the key so an operator can fix it. */
public class InvalidSettingException extends StartupRefusedException {

    public InvalidSettingException(String key, String problem) {
        super("Invalid configuration '" + key + "': " + problem);
    }
}
