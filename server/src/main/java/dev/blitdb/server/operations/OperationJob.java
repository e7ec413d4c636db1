package dev.blitdb.server.operations;

import java.util.Map;

/**
 * The work of one operation. It reports through {@code progress} (and calls {@link Progress#checkCancelled()}
 * between steps) and returns its result: field → string, number, boolean, list or map, written as the
 * operation's {@code Result} object.
 */
@FunctionalInterface
public interface OperationJob {
    Map<String, Object> run(Progress progress) throws Exception;
}
