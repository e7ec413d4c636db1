package dev.blitdb.storage.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The manifest of one backup file, {@code <file>.manifest.json}, written last (so a backup without one is
 * incomplete). Field by field in {@code storage/BACKUP.md}; {@code BackupManifestExampleTest} parses the example
 * given there.
 *
 * @param type         {@code Full} (a data-file copy) or {@code Incremental} (changes since {@code fromEtag})
 * @param file         the backup file's name, in the same folder
 * @param bytes        its exact length
 * @param chunkCrc32c  CRC32C of each {@value #CHUNK_BYTES}-byte chunk of the file, 8 hex digits each
 * @param fromEtag     an incremental holds changes with etags above this (a full: 0)
 * @param lastEtag     the database's last etag at the backup's snapshot
 * @param transactionId the store transaction of the snapshot
 * @param pages        a full backup's pages (0 for an incremental)
 * @param documents    documents in the file (a full: in the database; an incremental: changed ones)
 * @param tombstones   tombstones in an incremental (a full: 0)
 */
public record BackupManifest(int formatVersion, String type, String file, long bytes, List<String> chunkCrc32c,
                             String databaseId, String databaseName, long fromEtag, long lastEtag,
                             long transactionId, long pages, long documents, long tombstones, String createdAt,
                             String blitDbVersion, int storeFormatVersion, int blittableFormatVersion) {

    public static final String FORMAT = "BlitDB backup";
    public static final int FORMAT_VERSION = 1;
    public static final int CHUNK_BYTES = 4 << 20;
    public static final String SUFFIX = ".manifest.json";
    public static final String FULL = "Full";
    public static final String INCREMENTAL = "Incremental";
    private static final JsonFactory JSON = new JsonFactory();

    public boolean full() {
        return FULL.equals(type);
    }

    static String hex(long crc) {
        return HexFormat.of().toHexDigits((int) crc);
    }

    /** This build's version, from the jar's filtered resource ("unknown" if it is missing). */
    public static String buildVersion() {
        try (InputStream in = BackupManifest.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public byte[] toJson() {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("Format", FORMAT);
            g.writeNumberField("FormatVersion", formatVersion);
            g.writeStringField("Type", type);
            g.writeStringField("File", file);
            g.writeNumberField("Bytes", bytes);
            g.writeNumberField("ChunkBytes", CHUNK_BYTES);
            g.writeArrayFieldStart("ChunkCrc32c");
            for (String c : chunkCrc32c) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeStringField("DatabaseId", databaseId);
            g.writeStringField("DatabaseName", databaseName);
            g.writeNumberField("FromEtag", fromEtag);
            g.writeNumberField("LastEtag", lastEtag);
            g.writeNumberField("TransactionId", transactionId);
            g.writeNumberField("Pages", pages);
            g.writeNumberField("Documents", documents);
            g.writeNumberField("Tombstones", tombstones);
            g.writeStringField("CreatedAt", createdAt);
            g.writeStringField("BlitDbVersion", blitDbVersion);
            g.writeNumberField("StoreFormatVersion", storeFormatVersion);
            g.writeNumberField("BlittableFormatVersion", blittableFormatVersion);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Parses a manifest; {@code name} is used in messages.
     *
     * @throws BackupInvalidException naming the manifest and what is wrong with it
     */
    public static BackupManifest parse(byte[] json, String name) {
        Map<String, Object> f = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BackupInvalidException(name, "manifest", "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.getText());
                    }
                    f.put(key, items);
                } else if (t.isNumeric()) {
                    f.put(key, p.getLongValue());
                } else if (t.isScalarValue()) {
                    f.put(key, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new BackupInvalidException(name, "manifest", "not valid JSON: " + e.getMessage());
        }
        if (!FORMAT.equals(f.get("Format"))) {
            throw new BackupInvalidException(name, "manifest", "Format is " + f.get("Format") + ", expected '"
                    + FORMAT + "'");
        }
        int version = (int) num(f, "FormatVersion", name);
        if (version != FORMAT_VERSION) {
            throw new BackupInvalidException(name, "manifest", "FormatVersion " + version + "; this build reads "
                    + FORMAT_VERSION);
        }
        if (num(f, "ChunkBytes", name) != CHUNK_BYTES) {
            throw new BackupInvalidException(name, "manifest", "ChunkBytes " + f.get("ChunkBytes") + ", expected "
                    + CHUNK_BYTES);
        }
        String type = str(f, "Type", name);
        if (!FULL.equals(type) && !INCREMENTAL.equals(type)) {
            throw new BackupInvalidException(name, "manifest", "Type '" + type + "' is neither Full nor Incremental");
        }
        @SuppressWarnings("unchecked")
        List<String> chunks = f.get("ChunkCrc32c") instanceof List<?> l ? (List<String>) l : null;
        if (chunks == null) {
            throw new BackupInvalidException(name, "manifest", "ChunkCrc32c is missing");
        }
        return new BackupManifest(version, type, str(f, "File", name), num(f, "Bytes", name), List.copyOf(chunks),
                str(f, "DatabaseId", name), str(f, "DatabaseName", name), num(f, "FromEtag", name),
                num(f, "LastEtag", name), num(f, "TransactionId", name), num(f, "Pages", name),
                num(f, "Documents", name), num(f, "Tombstones", name), str(f, "CreatedAt", name),
                str(f, "BlitDbVersion", name), (int) num(f, "StoreFormatVersion", name),
                (int) num(f, "BlittableFormatVersion", name));
    }

    private static long num(Map<String, Object> f, String key, String name) {
        if (f.get(key) instanceof Long l) {
            return l;
        }
        throw new BackupInvalidException(name, "manifest", key + " is missing or not a number");
    }

    private static String str(Map<String, Object> f, String key, String name) {
        if (f.get(key) instanceof String s) {
            return s;
        }
        throw new BackupInvalidException(name, "manifest", key + " is missing or not a string");
    }
}
