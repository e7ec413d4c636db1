package dev.blitdb.indexing.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Starts platform threads from one dedicated thread that never changes its own priority. On Linux a new thread
 * inherits the nice value of the thread that creates it, and an unprivileged thread may raise its nice value
 * but never lower it. So a worker that must run at a <em>higher</em> priority than it runs now is replaced by a
 * fresh thread started here, at the process's base nice value, which then lowers itself exactly as far as
 * asked. Create the spawner early, from a thread at the base priority (start-up does).
 */
public final class ThreadSpawner implements AutoCloseable {

    private final LinkedBlockingQueue<Runnable> requests = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public ThreadSpawner(String name) {
        thread = Thread.ofPlatform().name(name).daemon(true).start(this::serve);
    }

    private void serve() {
        while (!closed) {
            try {
                requests.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts a platform thread named {@code name} running {@code body}, created on the spawner's thread. */
    public Thread spawn(String name, Runnable body) {
        if (closed) {
            throw new IllegalStateException("thread spawner is closed");
        }
        if (Thread.currentThread() == thread) {
            return Thread.ofPlatform().name(name).start(body);
        }
        CompletableFuture<Thread> started = new CompletableFuture<>();
        requests.add(() -> {
            try {
                started.complete(Thread.ofPlatform().name(name).start(body));
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        });
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting thread " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not start thread " + name + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
