package dev.blitdb.server.http.bulkinsert;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LineReaderTest {

    /** Hands out the bytes a few at a time, as a network stream does. */
    private static InputStream trickle(byte[] bytes, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7000)));
            }
        };
    }

    private static List<String> lines(InputStream in, long max) throws IOException {
        LineReader reader = new LineReader(in, max);
        List<String> out = new ArrayList<>();
        while (reader.next()) {
            out.add(new String(reader.buffer(), reader.start(), reader.length(), StandardCharsets.UTF_8));
            assertEquals(out.size(), reader.lineNumber());
        }
        return out;
    }

    @Test
    void shouldSplitLinesAcrossReadsRefillsAndGrowth() throws IOException {
        Random random = new Random(1);
        List<String> expected = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            // Mostly short lines, some longer than the initial 256 KiB buffer.
            int length = i % 500 == 7 ? 300_000 + random.nextInt(200_000) : random.nextInt(400);
            String line = "x".repeat(length) + i;
            expected.add(line);
            body.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, lines(trickle(bytes, 2), 1 << 20));
    }

    /** The word-at-a-time search finds the first newline at every position of a word and of the tail. */
    @Test
    void shouldFindTheFirstNewlineAtEveryOffset() {
        Random random = new Random(9);
        for (int length = 0; length <= 40; length++) {
            for (int from = 0; from <= length; from++) {
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    // Bytes next to '\n' in value (0x09, 0x0B, 0x8A) must not count as one.
                    b[i] = (byte) new int[] {'x', 0x09, 0x0B, 0x8A, 0x0A ^ 0x80, 0}[random.nextInt(6)];
                }
                assertEquals(-1, LineReader.newline(b, from, length));
                for (int at = from; at < length; at++) {
                    byte[] c = b.clone();
                    c[at] = '\n';
                    for (int later = at + 1; later < length; later += 3) {
                        c[later] = '\n';
                    }
                    assertEquals(at, LineReader.newline(c, from, length), "length " + length + " from " + from);
                    assertEquals(-1, LineReader.newline(c, from, at), "length " + length + " up to " + at);
                }
            }
        }
    }

    @Test
    void shouldReturnALastLineWithoutNewlineAndBlankLines() throws IOException {
        byte[] bytes = "a\n\n\r\nlast".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a", "", "", "last"), lines(new ByteArrayInputStream(bytes), 100));
        assertEquals(List.of(), lines(new ByteArrayInputStream(new byte[0]), 100));
    }

    @Test
    void shouldRefuseALineLongerThanTheLimitWithItsLineNumber() {
        byte[] bytes = ("ok\n" + "y".repeat(300_000) + "\nnext\n").getBytes(StandardCharsets.UTF_8);
        ApiException e = assertThrows(ApiException.class, () -> lines(trickle(bytes, 3), 100_000));
        assertEquals(ApiError.REQUEST_TOO_LARGE, e.error());
        assertEquals(true, e.getMessage().contains("line 2"), e.getMessage());
    }
}
