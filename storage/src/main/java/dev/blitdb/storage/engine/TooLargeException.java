package dev.blitdb.storage.engine;

/** A key or value is larger than the format allows; nothing was written. */
public final class TooLargeException extends StorageException {

    private final long size;
    private final long limit;

    public TooLargeException(String what, long size, long limit) {
        super(what + " is " + size + " bytes, larger than the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }

    @Override
    public boolean leftNoTrace() {
        return true;
    }
}
