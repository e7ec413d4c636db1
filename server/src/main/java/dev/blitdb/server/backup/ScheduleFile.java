package dev.blitdb.server.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code backup-schedule.json}: {@code {"Folder":"/backups/shop","FullEvery":"P1D","IncrementalEvery":"PT1H",
 * "Retention":7}} ({@code IncrementalEvery} absent for full backups only).
 */
final class ScheduleFile {

    private static final JsonFactory JSON = new JsonFactory();

    private ScheduleFile() {
    }

    static String write(BackupSchedule.Config c) {
        var w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("Folder", c.folder());
            g.writeStringField("FullEvery", c.fullEvery().toString());
            if (c.incrementalEvery() != null) {
                g.writeStringField("IncrementalEvery", c.incrementalEvery().toString());
            }
            g.writeNumberField("Retention", c.retention());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    /** The schedule in {@code file}, or null if there is none. */
    static BackupSchedule.Config read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String folder = null;
        String every = null;
        String incremental = null;
        int retention = 0;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                switch (k) {
                    case "Folder" -> folder = p.getText();
                    case "FullEvery" -> every = p.getText();
                    case "IncrementalEvery" -> incremental = p.getText();
                    case "Retention" -> retention = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
        }
        if (folder == null || every == null || retention < 1) {
            throw new IOException(file + " is not a valid backup schedule (Folder, FullEvery, Retention >= 1)");
        }
        return new BackupSchedule.Config(folder, Duration.parse(every),
                incremental == null ? null : Duration.parse(incremental), retention);
    }
}
