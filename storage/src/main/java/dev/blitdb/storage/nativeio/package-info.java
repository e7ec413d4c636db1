/**
 * The one place BlitDB calls into the C library: {@code madvise}, {@code posix_fallocate}, {@code posix_fadvise},
 * {@code open}/{@code close} (for a descriptor those calls need), {@code gettid}, {@code setpriority} and
 * {@code getpriority}.
 *
 * <p>{@link dev.blitdb.storage.nativeio.NativeIo} binds every function once through
 * {@link java.lang.foreign.Linker#nativeLinker()}. When the JVM refuses native access (run without
 * {@code --enable-native-access=ALL-UNNAMED} under {@code --illegal-native-access=deny}) or a symbol is missing,
 * it logs one warning naming that flag, and every call answers "not available" ({@code Optional.empty()} or
 * {@code false}); callers skip the optimisation or use their fallback. Nothing here throws for an unavailable
 * function. Other modules (indexing: {@code gettid}/{@code setpriority}) use this class too.
 */
package dev.blitdb.storage.nativeio;
