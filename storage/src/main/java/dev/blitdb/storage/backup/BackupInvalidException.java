package dev.blitdb.storage.backup;

import java.io.Serial;

/**
 * A backup that cannot be restored: names the file and the check that failed (the server answers 400 with this
 * message; nothing was restored).
 */
public final class BackupInvalidException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String check;

    public BackupInvalidException(String file, String check, String detail) {
        super("backup file " + file + " fails the " + check + " check: " + detail);
        this.file = file;
        this.check = check;
    }

    public String file() {
        return file;
    }

    public String check() {
        return check;
    }
}
