/**
 * The one place BlitDB calls into the C library: {@code madvise}, {@code posix_fallocate}, {@code posix_fadvise},
 * {@code open}/{@code close} (for a descriptor those calls need), {@code gettid}, {@code setpriority} and
 * {@code getpriority}.
 *
 * <p>{@link dev.blitdb.storage.nativeio.NativeIo} binds each function once, on its own, through
 * {@link java.lang.foreign.Linker#nativeLinker()}: a missing symbol (say {@code gettid} on an old C library)
 * disables only that function. When a function is unavailable — the JVM refuses native access (run without
 * {@code --enable-native-access=ALL-UNNAMED} under {@code --illegal-native-access=deny}), or the symbol is missing —
 * its first use logs one warning naming the function, the real reason and the fallback, and every call of it
 * answers "not available" ({@code Optional.empty()} or {@code false}); callers skip the optimisation or use their
 * fallback. {@code NativeIo.unavailable()} lists what is missing and why. Nothing here throws for an unavailable
 * function. Other modules (indexing: {@code gettid}/{@code setpriority}) use this class too.
 */
package dev.blitdb.storage.nativeio;
