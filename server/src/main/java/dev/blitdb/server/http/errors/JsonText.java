package dev.blitdb.server.http.errors;

/** JSON string escaping for the small, rare bodies built as text (errors); documents never go through here. */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validPair(value, i)) {
                        // Control characters, JS line separators, and lone surrogates (which UTF-8 cannot carry).
                        char shown = Character.isSurrogate(c) ? '\ufffd' : c;
                        out.append("\\u").append(HEX[shown >> 12 & 0xF]).append(HEX[shown >> 8 & 0xF])
                                .append(HEX[shown >> 4 & 0xF]).append(HEX[shown & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
