package dev.blitdb.storage.engine;

import java.nio.file.Path;

/**
 * The data file could not grow: the disk (or quota) is full. Raised before the write changed anything; the store
 * stays open and consistent, and writes succeed again once space is freed.
 */
public final class StoreFullException extends StorageException {

    private final long requestedBytes;
    private final long fileSize;

    public StoreFullException(Path file, long fileSize, long requestedBytes, String reason) {
        super("cannot grow " + file + " from " + fileSize + " to " + (fileSize + requestedBytes) + " bytes (+"
                + requestedBytes + "): " + reason + ". Free disk space on that file system or move the data "
                + "folder; the store stays open and earlier data is intact.");
        this.requestedBytes = requestedBytes;
        this.fileSize = fileSize;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    public long fileSize() {
        return fileSize;
    }

    @Override
    public boolean leftNoTrace() {
        return true;
    }
}
