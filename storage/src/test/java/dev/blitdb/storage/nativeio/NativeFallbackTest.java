package dev.blitdb.storage.nativeio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each native function binds on its own; without native access every fallback path works and says why. */
class NativeFallbackTest {

    @TempDir
    Path dir;

    @Test
    void aMissingSymbolDisablesOnlyThatFunctionAndTheWarningNamesIt() throws Exception {
        var libc = Linker.nativeLinker().defaultLookup();
        NativeIo nio = new NativeIo(name -> name.equals("gettid") ? Optional.<MemorySegment>empty() : libc.find(name));
        List<String> logged = new ArrayList<>();
        Logger jul = Logger.getLogger(NativeIo.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try {
            assertEquals(List.of("gettid"), List.copyOf(nio.unavailable().keySet()));
            assertFalse(nio.available());
            assertTrue(nio.gettid().isEmpty());
            assertTrue(nio.gettid().isEmpty()); // warned once only
            assertTrue(nio.available("madvise") && nio.available("posix_fallocate") && nio.available("setpriority"));
            Path f = dir.resolve("f");
            Files.createFile(f);
            int fd = nio.openReadWrite(f).getAsInt();
            assertEquals(0, nio.posixFallocate(fd, 0, 1 << 16).getAsInt());
            assertEquals(0, nio.close(fd));
            assertEquals(1, logged.size(), logged.toString());
            String w = logged.getFirst();
            assertTrue(w.contains("native call gettid is unavailable") && w.contains("no symbol 'gettid'")
                    && w.contains("no thread priorities") && !w.contains("--enable-native-access"), w);
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void withoutNativeAccessEveryFallbackRunsAndTheWarningBlamesTheFlag() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--illegal-native-access=deny", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), NativeFallbackMain.class.getName(),
                dir.resolve("db").toString());
        Process child = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out + err);
        for (String fn : List.of("madvise", "posix_fallocate", "open", "gettid", "setpriority")) {
            assertTrue(out.contains("UNAVAILABLE " + fn + " :: the JVM refuses native access"), out);
        }
        assertTrue(out.contains("GETTID false"), out);
        assertTrue(out.contains("REOPENED 40"), out);
        // Growth by writing zeros made the file big enough for every page used.
        String[] file = out.lines().filter(l -> l.startsWith("FILE ")).findFirst().orElseThrow().split(" ");
        assertTrue(Long.parseLong(file[1]) >= Long.parseLong(file[2]) * 4096 && Long.parseLong(file[1]) > 16 * 4096,
                out);
        assertTrue(out.lines().anyMatch(
                l -> l.matches("ADVICE AdviceStats\\[calls=0, bytes=0, failures=0, skipped=[1-9].*")), out);
        for (String fn : List.of("madvise", "posix_fallocate")) {
            assertTrue(err.contains("BlitDB native call " + fn + " is unavailable: the JVM refuses native access"),
                    err);
        }
        assertTrue(err.contains("--enable-native-access=ALL-UNNAMED"), err);
    }
}
