package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Writes one blittable document at a time into a reusable buffer (FORMAT.md). It is the programmatic builder —
 * {@code startObject().name("Name").value("Ann").endObject().finish()} — and the engine behind {@link BlitWriter}
 * (JSON) and {@link BlitPatch} (modified copies). Buffers, the name cache and all scratch arrays are kept across
 * documents, so steady-state writing allocates next to nothing.
 *
 * <p>Values are written children first (FORMAT.md §2): a scalar goes to the buffer at once, a container's table
 * when it ends. The result of {@link #finish()} stays in {@link #segment()} until the next {@link #reset()}; a
 * document larger than the heap window goes to a {@link SpillSpace} when one is given ({@link #spillTo}).
 * Not thread-safe: one builder per thread.
 */
public final class BlitBuilder {
    final BlitLimits limits;
    final Names names = new Names();
    final ShapeCache shapes = new ShapeCache();
    byte[] buf;
    /** Next free index of {@link #buf}; the logical position (FORMAT.md offsets) is {@code spilled + pos}. */
    int pos;
    /** Bytes of the document already moved to {@link #spill}: the logical position of {@code buf[0]}. */
    int spilled;
    private int length = -1;

    /** Where a document larger than {@link #window} goes (FORMAT.md §14); null: the heap array only. */
    private SpillSpace space;
    private MemorySegment spill;
    private long spillHint;
    /** Heap bytes a spilling document keeps before moving them to {@link #space}. */
    final int window;

    // Open containers.
    private int depth;
    private int[] frameStart = new int[16];
    private int[] frameName = new int[16];
    private boolean[] frameObject = new boolean[16];
    // Entries of open containers, stacked: name id (objects) and value position.
    private int[] entName = new int[256];
    private int[] entPos = new int[256];
    private int entCount;
    private int pendingName = -1;
    private int rootPos = -1;
    /** Names inherited from a copied document (see {@link #beginCopy}). */
    int inheritedNames;

    private int[] sortIdx = new int[256];
    private int[] sortTmp = new int[256];
    private int[] order = new int[256];
    private final StringEncoder strings = new StringEncoder(this);
    private ValueCopy copier;

    public BlitBuilder() {
        this(BlitLimits.DEFAULT);
    }

    public BlitBuilder(BlitLimits limits) {
        this(limits, WINDOW);
    }

    /** A builder with a smaller spill window (tests make every document spill). */
    BlitBuilder(BlitLimits limits, int window) {
        this.limits = limits;
        this.window = Math.max(window, 64);
        this.buf = new byte[Math.min(1 << 16, this.window)];
        reset();
    }

    /** Heap window of a builder that spills: past it, a document's bytes move to the {@link SpillSpace}. */
    public static final int WINDOW = 1 << 20;

    /**
     * Lets documents from now on grow past the heap window into {@code space} (null: heap only). A document that
     * stays within the window never touches it, so the bytes are the same either way; a larger one ends up wholly
     * in the space: {@link #segment()} is then a slice of the space's memory, valid until the next {@link #reset()}
     * or until the space is closed. {@code expectedBytes} sizes the first request to the space. The builder never
     * closes the space; its owner does, after using the result.
     */
    public BlitBuilder spillTo(SpillSpace space, long expectedBytes) {
        this.space = space;
        this.spillHint = expectedBytes;
        this.spill = null;
        return this;
    }

    /** True when the finished (or current) document lives in the spill space rather than the heap array. */
    public boolean spilled() {
        return spilled > 0;
    }

    /** The logical position of the next byte (document-relative, as FORMAT.md offsets are). */
    int position() {
        return spilled + pos;
    }

    /** True when values longer than half the window should be written straight into the spill space. */
    boolean spilling() {
        return space != null;
    }

    /** Moves the window's bytes to the spill space; the window starts over empty. */
    void flush() {
        if (pos == 0) {
            return;
        }
        MemorySegment s = spillRoom(pos);
        MemorySegment.copy(buf, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, spilled, pos);
        spilled += pos;
        pos = 0;
    }

    /** The spill segment, with room for {@code extra} bytes past {@link #spilled}. Only while spilling. */
    MemorySegment spillRoom(long extra) {
        long need = spilled + extra;
        if (spill == null || spill.byteSize() < need) {
            long want = Math.max(need, spill == null ? spillHint : spill.byteSize() + (spill.byteSize() >> 1));
            spill = space.grow(spilled, want);
        }
        return spill;
    }

    /** Appends {@code len} bytes of {@code src} from {@code at} straight to the spill space (window flushed). */
    void appendToSpill(MemorySegment src, long at, int len) {
        flush();
        MemorySegment s = spillRoom(len);
        MemorySegment.copy(src, at, s, spilled, len);
        spilled += len;
    }

    /** Advances the spilled length after bytes were written straight into {@link #spillRoom}. */
    void spilledTo(int logicalEnd) {
        spilled = logicalEnd;
    }

    /** Past this a buffer grown for one large document is given back by {@link #trim()}. */
    static final int RETAINED_BYTES = 256 << 10;

    /**
     * Gives back buffers that grew for a large document (the output buffer past {@value #RETAINED_BYTES} bytes,
     * entry tables past 16K entries), so a long-lived builder does not pin the largest document it ever built.
     * Also discards the current document. Call it after the result has been used.
     */
    public BlitBuilder trim() {
        reset();
        if (buf.length > RETAINED_BYTES) {
            buf = new byte[Math.min(1 << 16, window)];
        }
        if (entName.length > 16 << 10) {
            entName = new int[256];
            entPos = new int[256];
        }
        if (sortIdx.length > 16 << 10) {
            sortIdx = new int[256];
            sortTmp = new int[256];
        }
        if (order.length > 16 << 10) {
            order = new int[256];
        }
        strings.trim();
        return this;
    }

    /** Discards any unfinished or finished document and starts a new one. */
    public BlitBuilder reset() {
        names.reset();
        pos = HEADER_SIZE;
        spilled = 0;
        spill = null;
        depth = 0;
        entCount = 0;
        pendingName = -1;
        rootPos = -1;
        length = -1;
        inheritedNames = 0;
        return this;
    }

    // ---- containers ----

    public BlitBuilder startObject() {
        return start(true);
    }

    public BlitBuilder startArray() {
        return start(false);
    }

    private BlitBuilder start(boolean object) {
        checkValueAllowed();
        if (depth >= limits.maxDepth()) {
            throw new BlitFormatException(BlitFormatException.Kind.TOO_DEEP,
                    "nesting depth " + (depth + 1) + " exceeds the limit of " + limits.maxDepth(), -1, -1, -1);
        }
        if (depth == frameStart.length) {
            int n = depth * 2;
            frameStart = Arrays.copyOf(frameStart, n);
            frameName = Arrays.copyOf(frameName, n);
            frameObject = Arrays.copyOf(frameObject, n);
        }
        frameStart[depth] = entCount;
        frameName[depth] = pendingName;
        frameObject[depth] = object;
        pendingName = -1;
        depth++;
        return this;
    }

    /** Property name inside an object; the next value (or container) belongs to it. */
    public BlitBuilder name(String name) {
        if (depth == 0 || !frameObject[depth - 1] || pendingName >= 0) {
            throw new IllegalStateException("a property name is only allowed inside an object, before its value");
        }
        int id = names.intern(name, limits.maxNameLength(), inheritedNames,
                depth << 16 ^ (entCount - frameStart[depth - 1]) ^ frameName[depth - 1] << 8);
        if (id < 0) {
            if (id == Integer.MIN_VALUE) {
                throw new BlitFormatException(BlitFormatException.Kind.INVALID_UTF8,
                        "property name has an unpaired surrogate", -1, -1, -1);
            }
            throw new BlitFormatException(BlitFormatException.Kind.NAME_TOO_LONG, "property name of " + (-1 - id)
                    + " UTF-8 bytes exceeds the limit of " + limits.maxNameLength(), -1, -1, -1);
        }
        pendingName = id;
        return this;
    }

    public BlitBuilder endObject() {
        if (depth == 0 || !frameObject[depth - 1] || pendingName >= 0) {
            throw new IllegalStateException("endObject without an open object (or after a name with no value)");
        }
        int d = --depth;
        int start = frameStart[d];
        int tablePos = ObjectTable.write(this, entName, entPos, start, entCount - start);
        entCount = start;
        pendingName = frameName[d];
        added(tablePos);
        return this;
    }

    public BlitBuilder endArray() {
        if (depth == 0 || frameObject[depth - 1]) {
            throw new IllegalStateException("endArray without an open array");
        }
        int d = --depth;
        int start = frameStart[d];
        int n = entCount - start;
        int tablePos = position();
        int maxDist = n == 0 ? 0 : tablePos - entPos[start];
        int code = widthCodeFor(maxDist);
        int w = width(code);
        long size = 1 + 5 + (long) n * w;
        boolean chunked = space != null && size > window;
        ensure(chunked ? 6 : (int) size);
        buf[pos++] = (byte) (TYPE_ARRAY | code << OFFSET_WIDTH_SHIFT);
        pos = Bytes.putVarint(buf, pos, n);
        for (int i = 0; i < n; i++) {
            if (chunked) {
                ensure(w); // a table larger than the window goes out in window-sized pieces
            }
            Bytes.putUint(buf, pos, tablePos - entPos[start + i], w);
            pos += w;
        }
        entCount = start;
        pendingName = frameName[d];
        added(tablePos);
        return this;
    }

    // ---- scalars ----

    public BlitBuilder nullValue() {
        return token(TYPE_NULL);
    }

    public BlitBuilder value(boolean b) {
        return token(b ? TYPE_TRUE : TYPE_FALSE);
    }

    public BlitBuilder value(long v) {
        checkValueAllowed();
        ensure(11);
        int at = position();
        buf[pos++] = TYPE_INTEGER;
        pos = Bytes.putVarint(buf, pos, Bytes.zigzagEncode(v));
        added(at);
        return this;
    }

    /** A finite double, stored exactly as its shortest decimal form ({@link Double#toString}). */
    public BlitBuilder value(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("JSON has no representation for " + v);
        }
        String s = Double.toString(v);
        return numberLiteral(s.toCharArray(), 0, s.length());
    }

    /** The exact decimal {@code (negative ? -1 : 1) * magnitude * 10^-scale}, magnitude >= 0 (FORMAT.md §4). */
    public BlitBuilder decimal(boolean negative, long magnitude, int scale) {
        if (magnitude < 0) {
            throw new IllegalArgumentException("magnitude must be >= 0: " + magnitude);
        }
        checkValueAllowed();
        ensure(16);
        int at = position();
        buf[pos++] = TYPE_DECIMAL;
        pos = Bytes.putVarint(buf, pos, magnitude << 1 | (negative ? 1 : 0));
        pos = Bytes.putVarint(buf, pos, Bytes.zigzagEncode(scale));
        added(at);
        return this;
    }

    /** A string value; must be valid UTF-16 (no unpaired surrogates). */
    public BlitBuilder value(CharSequence s) {
        checkValueAllowed();
        strings.write(s);
        return this;
    }

    /** A string given as UTF-16 chars (Jackson's text buffer). */
    BlitBuilder string(char[] c, int off, int len) {
        checkValueAllowed();
        strings.write(c, off, len);
        return this;
    }

    /** See {@link StringEncoder#writeRaw}: false (nothing written) when Jackson must decode the string. */
    boolean rawJsonString(byte[] json, int from, int limit) {
        checkValueAllowed();
        return strings.writeRaw(json, from, limit);
    }

    /** {@link #rawJsonString(byte[], int, int)} from JSON in a segment (a spooled request body). */
    boolean rawJsonString(MemorySegment json, long from, long limit) {
        checkValueAllowed();
        return strings.writeRaw(json, from, limit);
    }

    /**
     * A copy of {@code value} — from any document, including its nested objects and arrays — as the next value.
     * Scalars are copied byte for byte; containers are rebuilt (FORMAT.md §2: their offsets are document-relative).
     * {@code value}'s document must not live in this builder's buffer.
     */
    public BlitBuilder value(BlitValue value) {
        if (copier == null) {
            copier = new ValueCopy();
        }
        copier.copy(this, value.document(), value.position());
        return this;
    }

    /** The already-encoded scalar {@code s[at, at + len)} (token included) as the next value. */
    void rawScalar(MemorySegment s, long at, int len) {
        checkValueAllowed();
        int start = position();
        if (space != null && len > window / 2) {
            appendToSpill(s, at, len);
        } else {
            ensure(len);
            ValueCopy.copyBytes(s, at, buf, pos, len);
            pos += len;
        }
        added(start);
    }

    /** A JSON number literal (as Jackson hands it over: already syntax-checked), classified per FORMAT.md §4. */
    BlitBuilder numberLiteral(char[] c, int off, int len) {
        checkValueAllowed();
        ensure(len + 16);
        int at = position();
        pos = NumberLiteral.write(c, off, len, buf, pos);
        added(at);
        return this;
    }

    private BlitBuilder token(int token) {
        checkValueAllowed();
        ensure(1);
        int at = position();
        buf[pos++] = (byte) token;
        added(at);
        return this;
    }

    private void checkValueAllowed() {
        if (depth == 0) {
            if (rootPos >= 0) {
                throw new IllegalStateException("the document already has its root value");
            }
        } else if (frameObject[depth - 1] && pendingName < 0) {
            throw new IllegalStateException("a value inside an object needs a name first");
        }
    }

    /** Records a finished value at logical position {@code at} in its parent (or as the root). */
    void added(int at) {
        if (depth == 0) {
            rootPos = at;
            return;
        }
        if (entCount == entPos.length) {
            int n = entCount * 2;
            entPos = Arrays.copyOf(entPos, n);
            entName = Arrays.copyOf(entName, n);
        }
        if (frameObject[depth - 1]) {
            if (entCount - frameStart[depth - 1] >= limits.maxPropertiesPerObject()) {
                throw new BlitFormatException(BlitFormatException.Kind.TOO_MANY_PROPERTIES, "object has more than "
                        + limits.maxPropertiesPerObject() + " properties (the limit)", -1, -1, -1);
            }
            entName[entCount] = pendingName;
            pendingName = -1;
        }
        entPos[entCount++] = at;
    }

    /** Makes room for {@code n} more bytes, refusing to grow past the document size limit. */
    void ensure(int n) {
        if (pos + n > buf.length) {
            grow(n);
        }
    }

    /**
     * Grows the heap array, or — when spilling and the window is full — moves the window to the spill space
     * first. Indices into {@link #buf} taken before an {@code ensure} are stale after it; logical positions
     * ({@link #position()}) are not.
     */
    private void grow(int n) {
        long need = (long) spilled + pos + n;
        if (need > limits.maxDocumentSize() + 64L) {
            throw tooLarge(need);
        }
        if (space != null && (long) pos + n > window && pos > 0) {
            flush();
            if (n <= buf.length) {
                return;
            }
        }
        long size = Math.max((long) pos + n, buf.length * 2L);
        if (space != null) {
            size = Math.min(size, Math.max(window, (long) pos + n)); // one item larger than the window: just it
        }
        buf = Arrays.copyOf(buf, (int) Math.min(size, Integer.MAX_VALUE - 16));
    }

    BlitFormatException tooLarge(long size) {
        return new BlitFormatException(BlitFormatException.Kind.DOCUMENT_TOO_LARGE, "blittable document of at least "
                + size + " bytes exceeds the limit of " + limits.maxDocumentSize() + " bytes", -1, -1, -1);
    }

    /** Scratch arrays for {@link ObjectTable}, grown to {@code n}. */
    int[] sortIdx(int n) {
        if (sortIdx.length < n) {
            sortIdx = new int[n];
            sortTmp = new int[n];
            order = new int[n];
        }
        return sortIdx;
    }

    int[] sortTmp() {
        return sortTmp;
    }

    int[] order() {
        return order;
    }

    // ---- finishing ----

    /** Writes the name table and header; returns the document length. */
    public int finish() {
        if (depth != 0 || rootPos < 0) {
            throw new IllegalStateException("finish() needs exactly one complete root value (open containers: "
                    + depth + ")");
        }
        int namesPos = position();
        int code = widthCodeFor(names.dataLength);
        int w = width(code);
        long size = 1 + 5 + (long) (names.count + 1) * w + names.dataLength;
        boolean chunked = space != null && size > window;
        ensure(chunked ? 6 : (int) size);
        buf[pos++] = (byte) code;
        pos = Bytes.putVarint(buf, pos, names.count);
        for (int id = 0; id < names.count; id++) {
            if (chunked) {
                ensure(w);
            }
            Bytes.putUint(buf, pos, names.start[id], w);
            pos += w;
        }
        if (chunked) {
            ensure(w);
        }
        Bytes.putUint(buf, pos, names.dataLength, w);
        pos += w;
        if (chunked) {
            appendToSpill(MemorySegment.ofArray(names.data), 0, names.dataLength);
        } else {
            System.arraycopy(names.data, 0, buf, pos, names.dataLength);
            pos += names.dataLength;
        }
        int end = position();
        if (end > limits.maxDocumentSize()) {
            throw tooLarge(end);
        }
        if (spilled > 0) {
            flush(); // the whole document is in the spill space now; the window is free for the header
        }
        buf[HEADER_MAGIC] = MAGIC;
        buf[HEADER_VERSION] = VERSION;
        Bytes.putU32(buf, HEADER_DOCUMENT_LENGTH, end);
        Bytes.putU32(buf, HEADER_ROOT_POSITION, rootPos);
        Bytes.putU32(buf, HEADER_NAME_TABLE_POSITION, namesPos);
        if (spilled > 0) {
            MemorySegment.copy(buf, 0, spill, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, HEADER_SIZE);
        }
        length = end;
        return end;
    }

    /**
     * Starts a copy of {@code src}: its value region is copied verbatim (so its values keep their positions) and its
     * names keep their ids. The caller then adds new values and tables and calls {@link #finish()}.
     */
    void beginCopy(BlitDocument src) {
        if (src.segment().heapBase().orElse(null) == buf) {
            // The copy would overwrite the source's name table while still reading it.
            throw new IllegalArgumentException("the source document lives in this builder's own buffer; copy it "
                    + "out first or use a second builder");
        }
        reset();
        int region = src.nameTablePosition();
        if (space != null && region > window) {
            pos = 0; // the header's room is part of the copied region
            appendToSpill(src.segment(), src.base(), region);
        } else {
            ensure(region);
            MemorySegment.copy(src.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, src.base(), buf, 0, region);
            pos = region;
        }
        names.load(src.segment(), src.base() + src.nameDataPosition(), src.base() + src.nameOffsetsPosition(),
                src.nameWidth(), src.nameCount());
        inheritedNames = src.nameCount();
    }

    /** Adds an entry to the open object: an existing value (at {@code valuePos}) under name id {@code nameId}. */
    void addEntry(int nameId, int valuePos) {
        pendingName = nameId;
        added(valuePos);
    }

    /** Sets the name (by id) of the next value in the open object. */
    void nameById(int nameId) {
        pendingName = nameId;
    }

    /** Interns a name for {@link #addEntry} (same checks as {@link #name(String)}). */
    int nameId(String name) {
        name(name);
        int id = pendingName;
        pendingName = -1;
        return id;
    }

    // ---- result ----

    /**
     * The finished document occupies {@code buffer()[0, length())}; valid until the next {@link #reset()}. Not for
     * a document that {@link #spilled()}: use {@link #segment()}.
     */
    public byte[] buffer() {
        if (spilled > 0) {
            throw new IllegalStateException("the document of " + length + " bytes was built in spill space, not "
                    + "in the heap array: use segment()");
        }
        return buf;
    }

    public int length() {
        if (length < 0) {
            throw new IllegalStateException("no finished document: call finish()");
        }
        return length;
    }

    /** A copy of the finished document. */
    public byte[] toByteArray() {
        return spilled > 0 ? segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE) : Arrays.copyOf(buf, length());
    }

    /**
     * The finished document: a heap segment, or a slice of the spill space when it {@link #spilled()}; valid
     * until the next {@link #reset()} (and, when spilled, until the space is closed).
     */
    public MemorySegment segment() {
        int n = length();
        return spilled > 0 ? spill.asSlice(0, n) : MemorySegment.ofArray(buf).asSlice(0, n);
    }

    /** Copies the finished document to {@code dst} at {@code offset} (e.g. into a page of the store). */
    public void copyTo(MemorySegment dst, long offset) {
        MemorySegment.copy(segment(), 0, dst, offset, length());
    }
}
