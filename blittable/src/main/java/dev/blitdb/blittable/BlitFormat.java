package dev.blitdb.blittable;

/**
 * Layout constants of blittable format version 1. Each constant names the section of {@code blittable/FORMAT.md}
 * that defines it; that file is the source of truth and {@code FormatExampleTest} keeps the two in step.
 */
public final class BlitFormat {
    private BlitFormat() {
    }

    // §1 Header
    public static final byte MAGIC = (byte) 0xB1;
    public static final byte VERSION = 1;
    public static final int HEADER_MAGIC = 0;
    public static final int HEADER_VERSION = 1;
    public static final int HEADER_DOCUMENT_LENGTH = 2;
    public static final int HEADER_ROOT_POSITION = 6;
    public static final int HEADER_NAME_TABLE_POSITION = 10;
    public static final int HEADER_SIZE = 14;
    /** Smallest possible document: header, one NULL token, an empty name table (width byte, count 0, offset[0]). */
    public static final int MIN_DOCUMENT_LENGTH = HEADER_SIZE + 1 + 3;

    // §2 Type tokens (low nibble) and flags (high nibble)
    public static final int TYPE_MASK = 0x0F;
    public static final int TYPE_NULL = 0x1;
    public static final int TYPE_FALSE = 0x2;
    public static final int TYPE_TRUE = 0x3;
    public static final int TYPE_INTEGER = 0x4;
    public static final int TYPE_DECIMAL = 0x5;
    public static final int TYPE_NUMBER_TEXT = 0x6;
    public static final int TYPE_STRING = 0x7;
    public static final int TYPE_COMPRESSED_STRING = 0x8;
    public static final int TYPE_ARRAY = 0x9;
    public static final int TYPE_OBJECT = 0xA;
    /** §2: string flag, set when JSON output must escape some byte of the string. */
    public static final int FLAG_ESCAPE = 0x10;
    /** §5, §6: offset width code in bits 4-5 of container tokens. */
    public static final int OFFSET_WIDTH_SHIFT = 4;
    /** §6: name-id width code in bits 6-7 of object tokens. */
    public static final int ID_WIDTH_SHIFT = 6;

    // §6 Object
    public static final int ORIGINAL_ORDER_FLAG = 1;

    // §8 Strings
    public static final int COMPRESS_MIN_LENGTH = 129;
    public static final int COMPRESS_MIN_SAVING = 8;

    /** Width code (2 bits) to width in bytes; code 3 is invalid and maps to 0. */
    static int width(int code) {
        return code == 0 ? 1 : code == 1 ? 2 : code == 2 ? 4 : 0;
    }

    /** Smallest width code whose width holds {@code value} (an unsigned 32-bit quantity held in an int >= 0). */
    static int widthCodeFor(int value) {
        return value <= 0xFF ? 0 : value <= 0xFFFF ? 1 : 2;
    }

    /** §6: width of the original-order permutation elements. */
    static int orderWidth(int count) {
        return count <= 256 ? 1 : count <= 65536 ? 2 : 4;
    }
}
