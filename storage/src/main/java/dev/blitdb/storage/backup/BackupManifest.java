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
 * @param indexes      indexes whose files a full backup holds (from a pinned Lucene commit); empty otherwise
 * @param files        files beside the data file (index files), relative to the database folder, in
 *                     {@code <file>.files/}
 */
public record BackupManifest(int formatVersion, String type, String file, long bytes, List<String> chunkCrc32c,
                             String databaseId, String databaseName, long fromEtag, long lastEtag,
                             long transactionId, long pages, long documents, long tombstones, String createdAt,
                             String blitDbVersion, int storeFormatVersion, int blittableFormatVersion,
                             List<String> indexes, List<FileEntry> files) {

    /** One file beside the data file: its path relative to the database folder, length and CRC32C. */
    public record FileEntry(String path, long bytes, String crc32c) {
    }

    public BackupManifest {
        indexes = List.copyOf(indexes);
        files = List.copyOf(files);
    }

    /** The manifest without attached files (an incremental, or a full backup of a database with no indexes). */
    public BackupManifest(int formatVersion, String type, String file, long bytes, List<String> chunkCrc32c,
                          String databaseId, String databaseName, long fromEtag, long lastEtag,
                          long transactionId, long pages, long documents, long tombstones, String createdAt,
                          String blitDbVersion, int storeFormatVersion, int blittableFormatVersion) {
        this(formatVersion, type, file, bytes, chunkCrc32c, databaseId, databaseName, fromEtag, lastEtag,
                transactionId, pages, documents, tombstones, createdAt, blitDbVersion, storeFormatVersion,
                blittableFormatVersion, List.of(), List.of());
    }

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
            g.writeArrayFieldStart("Indexes");
            for (String i : indexes) {
                g.writeString(i);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Files");
            for (FileEntry e : files) {
                g.writeStartObject();
                g.writeStringField("Path", e.path());
                g.writeNumberField("Bytes", e.bytes());
                g.writeStringField("Crc32c", e.crc32c());
                g.writeEndObject();
            }
            g.writeEndArray();
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
    @SuppressWarnings("unchecked")
    public static BackupManifest parse(byte[] json, String name) {
        Map<String, Object> f = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BackupInvalidException(name, "manifest", "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY && key.equals("Files")) {
                    f.put(key, fileEntries(p, name));
                } else if (t == JsonToken.START_ARRAY) {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (!p.currentToken().isScalarValue()) {
                            throw new BackupInvalidException(name, "manifest", key + " must be a list of strings");
                        }
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
                (int) num(f, "BlittableFormatVersion", name),
                f.get("Indexes") instanceof List<?> l ? (List<String>) l : List.of(),
                f.get("Files") instanceof List<?> l ? (List<FileEntry>) l : List.of());
    }

    /** {@code [{"Path","Bytes","Crc32c"}, …]}: relative paths without {@code ..}, checked here. */
    private static List<FileEntry> fileEntries(JsonParser p, String name) throws IOException {
        List<FileEntry> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String path = null;
            String crc = null;
            long bytes = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                switch (k) {
                    case "Path" -> path = p.getText();
                    case "Crc32c" -> crc = p.getText();
                    case "Bytes" -> bytes = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            if (path == null || crc == null || bytes < 0 || path.startsWith("/") || path.contains("..")
                    || path.contains("\\")) {
                throw new BackupInvalidException(name, "manifest", "a Files entry needs a relative Path (no ..), "
                        + "Bytes and Crc32c; got Path " + path);
            }
            out.add(new FileEntry(path, bytes, crc));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new BackupInvalidException(name, "manifest", "Files must be a list of objects");
        }
        return out;
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
