package dev.blitdb.storage.backup;

import java.io.IOException;
import java.io.Serial;

/** The backup target ran out of space (or hit a file-size limit); the partial file was removed. */
public final class BackupSpaceException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public BackupSpaceException(String message, IOException cause) {
        super(message, cause);
    }
}
