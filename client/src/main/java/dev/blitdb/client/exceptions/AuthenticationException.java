package dev.blitdb.client.exceptions;

/**
 * HTTP 401 {@code AuthenticationRequired}: the server needs a credential and got none, or one it does not accept
 * (unknown, revoked, expired; the server does not say which). Give the store an API key or a registered client
 * certificate ({@link dev.blitdb.client.security.ClientSecurity}). Also thrown for 429, when too many failed
 * attempts from this address made the server stop listening for a while ({@link #retryAfterSeconds()}).
 */
public class AuthenticationException extends ServerErrorException {

    private final long retryAfterSeconds;

    public AuthenticationException(int status, String type, String message, String url, long retryAfterSeconds) {
        super(status, type, message, url);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** For a 429: seconds until the server accepts attempts from this address again; else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
