package dev.blitdb.storage.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All native calls of BlitDB, each function bound once and on its own. Every method is safe to call when its
 * function is unavailable: it then returns an empty result and the caller falls back (see the package
 * documentation); the first such call logs one warning naming the function and the reason.
 *
 * <p>Return conventions follow the C library: {@code madvise}, {@code setpriority}, {@code open} and {@code close}
 * return -1 and set {@code errno} (captured here with {@link Linker.Option#captureCallState}); {@code
 * posix_fallocate} and {@code posix_fadvise} return the error number directly and leave {@code errno} alone.
 */
public final class NativeIo {

    private static final System.Logger LOG = System.getLogger(NativeIo.class.getName());

    /** {@code madvise} advice values (Linux, asm-generic). */
    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;

    /** {@code posix_fadvise} advice values. */
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int POSIX_FADV_DONTNEED = 4;

    /** {@code errno} values callers map to their own errors. */
    public static final int ENOSPC = 28;
    public static final int EDQUOT = 122;
    public static final int EFBIG = 27;
    public static final int EOPNOTSUPP = 95;

    private static final int O_RDWR = 2;
    private static final int PRIO_PROCESS = 0;

    private static final NativeIo INSTANCE = new NativeIo(null);

    /** What each function's absence costs, for its warning. */
    private static final Map<String, String> FALLBACK = Map.of(
            "madvise", "no prefetch or access-pattern hints",
            "posix_fallocate", "file growth by writing zeros",
            "posix_fadvise", "page-cache dropping in benchmarks unavailable",
            "open", "no file descriptor for posix_fallocate/posix_fadvise (growth by writing zeros)",
            "close", "no file descriptor for posix_fallocate/posix_fadvise (growth by writing zeros)",
            "gettid", "no thread priorities",
            "setpriority", "no thread priorities",
            "getpriority", "thread priorities cannot be read back",
            "__errno_location", "getpriority failures cannot be told from nice -1",
            "mincore", "no page-cache residency metrics"); // getpagesize: the default, "the call is skipped"

    private final MethodHandle madvise;
    private final MethodHandle posixFallocate;
    private final MethodHandle posixFadvise;
    private final MethodHandle open;
    private final MethodHandle close;
    private final MethodHandle gettid;
    private final MethodHandle setpriority;
    private final MethodHandle getpriority;
    private final MethodHandle errnoLocation;
    private final VarHandle errnoHandle;
    private final MethodHandle mincore;
    private final MethodHandle getpagesize;
    private final ThreadLocal<MemorySegment> captureBuffer;
    /** Function name → why it is not bound; only the missing ones, in binding order. */
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * Binds each function on its own, so one missing symbol (say {@code gettid} on an old C library) costs only
     * that function. {@code lookup}: where to find symbols (null: the linker's default C library); tests pass one
     * that lacks a symbol.
     */
    NativeIo(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        StructLayout layout = Linker.Option.captureStateLayout();
        errnoHandle = layout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        captureBuffer = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(layout));
        SymbolLookup libc = lookup != null ? lookup : linker.defaultLookup();
        Linker.Option errnoOpt = Linker.Option.captureCallState("errno");
        madvise = bind(linker, libc, "madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), errnoOpt);
        posixFallocate = bind(linker, libc, "posix_fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        posixFadvise = bind(linker, libc, "posix_fadvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        // open is variadic (the mode): declare it as such so the calling convention is right.
        open = bind(linker, libc, "open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errnoOpt,
                Linker.Option.firstVariadicArg(2));
        close = bind(linker, libc, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                errnoOpt);
        gettid = bind(linker, libc, "gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        setpriority = bind(linker, libc, "setpriority", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errnoOpt);
        getpriority = bind(linker, libc, "getpriority", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errnoOpt);
        errnoLocation = bind(linker, libc, "__errno_location", FunctionDescriptor.of(ValueLayout.ADDRESS));
        mincore = bind(linker, libc, "mincore", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        getpagesize = bind(linker, libc, "getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    /** Binds one function, or records why not (and returns null). */
    private MethodHandle bind(Linker linker, SymbolLookup libc, String name, FunctionDescriptor fd,
                              Linker.Option... options) {
        try {
            Optional<MemorySegment> symbol = libc.find(name);
            if (symbol.isEmpty()) {
                unavailable.put(name, "the C library has no symbol '" + name + "'");
                return null;
            }
            return linker.downcallHandle(symbol.get(), fd, options);
        } catch (IllegalCallerException e) {
            unavailable.put(name, "the JVM refuses native access (" + e.getMessage() + "); start it with "
                    + "--enable-native-access=ALL-UNNAMED");
        } catch (Throwable t) {
            unavailable.put(name, t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return null;
    }

    /** The shared instance. */
    public static NativeIo get() {
        return INSTANCE;
    }

    /** Whether every native function is bound. */
    public boolean available() {
        return unavailable.isEmpty();
    }

    /** Whether the C function {@code name} (e.g. {@code "madvise"}) is bound; logs its warning once if not. */
    public boolean available(String name) {
        String reason = unavailable.get(name);
        if (reason == null) {
            return true;
        }
        if (warned.add(name)) {
            LOG.log(System.Logger.Level.WARNING, "BlitDB native call " + name + " is unavailable: " + reason
                    + ". Falling back: " + FALLBACK.getOrDefault(name, "the call is skipped") + ".");
        }
        return false;
    }

    /** The functions that are not bound, each with the reason; empty when all are. */
    public Map<String, String> unavailable() {
        return Collections.unmodifiableMap(unavailable);
    }

    private int errno() {
        return (int) errnoHandle.get(captureBuffer.get(), 0L);
    }

    /**
     * {@code madvise(address, length, advice)}. The address must be page-aligned.
     *
     * @return empty if native calls are unavailable, else 0 on success or the {@code errno} of the failure
     */
    public OptionalInt madvise(long address, long length, int advice) {
        if (!available("madvise")) {
            return OptionalInt.empty();
        }
        try {
            MemorySegment capture = captureBuffer.get();
            int rc = (int) madvise.invokeExact(capture, MemorySegment.ofAddress(address), length, advice);
            return OptionalInt.of(rc == 0 ? 0 : errno());
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed unexpectedly", t);
        }
    }

    /**
     * {@code posix_fallocate(fd, offset, length)}: reserves real blocks.
     *
     * @return empty if unavailable, else 0 or the error number (ENOSPC when the disk is full)
     */
    public OptionalInt posixFallocate(int fd, long offset, long length) {
        if (!available("posix_fallocate")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((int) posixFallocate.invokeExact(fd, offset, length));
        } catch (Throwable t) {
            throw new IllegalStateException("posix_fallocate failed unexpectedly", t);
        }
    }

    /**
     * {@code posix_fadvise(fd, offset, length, advice)}; benchmarks use {@link #POSIX_FADV_DONTNEED} to drop a
     * file's cached pages.
     *
     * @return empty if unavailable, else 0 or the error number
     */
    public OptionalInt posixFadvise(int fd, long offset, long length, int advice) {
        if (!available("posix_fadvise")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((int) posixFadvise.invokeExact(fd, offset, length, advice));
        } catch (Throwable t) {
            throw new IllegalStateException("posix_fadvise failed unexpectedly", t);
        }
    }

    /**
     * Opens an existing file read-write and returns its descriptor; close it with {@link #close(int)}.
     *
     * @return empty if unavailable or if {@code open} failed (the failure is logged with its errno)
     */
    public OptionalInt openReadWrite(Path file) {
        if (!available("open") || !available("close")) {
            return OptionalInt.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toAbsolutePath().toString());
            int fd = (int) open.invokeExact(captureBuffer.get(), path, O_RDWR, 0);
            if (fd < 0) {
                LOG.log(System.Logger.Level.WARNING, "open(" + file + ") failed with errno " + errno());
                return OptionalInt.empty();
            }
            return OptionalInt.of(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("open failed unexpectedly", t);
        }
    }

    /** Closes a descriptor from {@link #openReadWrite}; returns 0 or the errno. */
    public int close(int fd) {
        if (!available("close")) {
            return 0;
        }
        try {
            int rc = (int) close.invokeExact(captureBuffer.get(), fd);
            return rc == 0 ? 0 : errno();
        } catch (Throwable t) {
            throw new IllegalStateException("close failed unexpectedly", t);
        }
    }

    /** The calling thread's kernel thread id ({@code gettid}), or empty if unavailable. */
    public OptionalInt gettid() {
        if (!available("gettid")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((int) gettid.invokeExact());
        } catch (Throwable t) {
            throw new IllegalStateException("gettid failed unexpectedly", t);
        }
    }

    /**
     * Sets the nice value of one thread ({@code setpriority(PRIO_PROCESS, tid, nice)}; on Linux a tid addresses a
     * single thread).
     *
     * @return empty if unavailable, else 0 or the errno (EACCES when raising priority without privilege)
     */
    public OptionalInt setThreadNice(int tid, int nice) {
        if (!available("setpriority")) {
            return OptionalInt.empty();
        }
        try {
            int rc = (int) setpriority.invokeExact(captureBuffer.get(), PRIO_PROCESS, tid, nice);
            return OptionalInt.of(rc == 0 ? 0 : errno());
        } catch (Throwable t) {
            throw new IllegalStateException("setpriority failed unexpectedly", t);
        }
    }

    /**
     * Reads back one thread's nice value ({@code getpriority}). -1 is a valid nice value, so failure is told by
     * errno, which is cleared first.
     *
     * @return the nice value, or empty if unavailable or the call failed
     */
    public Optional<Integer> threadNice(int tid) {
        if (!available("getpriority")) {
            return Optional.empty();
        }
        try {
            MemorySegment capture = captureBuffer.get();
            // errno is thread-local in C; clear it through __errno_location so a stale value is not read back.
            if (available("__errno_location")) {
                MemorySegment errnoCell = ((MemorySegment) errnoLocation.invokeExact()).reinterpret(4);
                errnoCell.set(ValueLayout.JAVA_INT, 0, 0);
            }
            int nice = (int) getpriority.invokeExact(capture, PRIO_PROCESS, tid);
            if (nice == -1 && errno() != 0) {
                return Optional.empty();
            }
            return Optional.of(nice);
        } catch (Throwable t) {
            throw new IllegalStateException("getpriority failed unexpectedly", t);
        }
    }

    /**
     * Bytes of {@code [address, address + length)} whose OS pages are in the page cache ({@code mincore}). Needs one
     * byte of scratch per OS page, allocated for the call: meant for metrics scrapes, not hot paths. The range must
     * be a live mapping that stays mapped during the call.
     *
     * @return empty if unavailable or the call failed, else the resident bytes (at most {@code length})
     */
    public java.util.OptionalLong residentBytes(long address, long length) {
        if (length == 0) {
            return java.util.OptionalLong.of(0);
        }
        if (length < 0 || !available("mincore") || !available("getpagesize")) {
            return java.util.OptionalLong.empty();
        }
        long osPageSize;
        try {
            osPageSize = (int) getpagesize.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpagesize failed unexpectedly", t);
        }
        long pages = (length + osPageSize - 1) / osPageSize;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vec = arena.allocate((pages + 7) & ~7L, 8);
            int rc = (int) mincore.invokeExact(MemorySegment.ofAddress(address), length, vec);
            if (rc != 0) {
                return java.util.OptionalLong.empty();
            }
            long resident = 0;
            // The low bit of each byte says "resident"; eight bytes at a time.
            for (long off = 0; off < vec.byteSize(); off += 8) {
                resident += Long.bitCount(vec.get(ValueLayout.JAVA_LONG_UNALIGNED, off) & 0x0101010101010101L);
            }
            return java.util.OptionalLong.of(Math.min(length, resident * osPageSize));
        } catch (Throwable t) {
            throw new IllegalStateException("mincore failed unexpectedly", t);
        }
    }
}
