package dev.blitdb.server.config;

/** A command-line flag or environment variable that cannot be used; the message says which and why. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
