package dev.blitdb.client;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * English plurals for collection names ({@code User} → {@code Users}, {@code Category} → {@code Categories},
 * {@code Person} → {@code People}). Covers the regular rules and the irregular nouns that turn up as entity
 * names; anything else gets an "s". Override {@link DocumentConventions#findCollectionName} for other languages.
 */
public final class Inflector {

    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("person", "people"), Map.entry("man", "men"), Map.entry("woman", "women"),
            Map.entry("child", "children"), Map.entry("mouse", "mice"), Map.entry("goose", "geese"),
            Map.entry("foot", "feet"), Map.entry("tooth", "teeth"), Map.entry("ox", "oxen"),
            Map.entry("leaf", "leaves"), Map.entry("life", "lives"), Map.entry("knife", "knives"),
            Map.entry("wife", "wives"), Map.entry("half", "halves"), Map.entry("shelf", "shelves"),
            Map.entry("index", "indexes"), Map.entry("matrix", "matrices"), Map.entry("vertex", "vertices"),
            Map.entry("criterion", "criteria"), Map.entry("datum", "data"), Map.entry("analysis", "analyses"),
            Map.entry("crisis", "crises"), Map.entry("thesis", "theses"), Map.entry("quiz", "quizzes"),
            Map.entry("photo", "photos"), Map.entry("piano", "pianos"), Map.entry("video", "videos"),
            Map.entry("radio", "radios"), Map.entry("logo", "logos"), Map.entry("memo", "memos"));
    private static final Set<String> UNCOUNTABLE = Set.of("information", "equipment", "news", "series", "species",
            "sheep", "fish", "deer", "money", "rice", "metadata", "feedback", "software", "staff", "settings");

    private Inflector() {
    }

    /** The plural of {@code noun}; the last word of a CamelCase name is the one inflected ({@code OrderLine}). */
    public static String plural(String noun) {
        if (noun.isEmpty()) {
            return noun;
        }
        int lastWord = 0;
        for (int i = noun.length() - 1; i > 0; i--) {
            if (Character.isUpperCase(noun.charAt(i)) && !Character.isUpperCase(noun.charAt(i - 1))) {
                lastWord = i;
                break;
            }
        }
        String head = noun.substring(0, lastWord);
        String word = noun.substring(lastWord);
        return head + pluralWord(word);
    }

    private static String pluralWord(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (UNCOUNTABLE.contains(lower)) {
            return word;
        }
        String irregular = IRREGULAR.get(lower);
        if (irregular != null) {
            return matchCase(word, irregular);
        }
        if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("z") || lower.endsWith("ch")
                || lower.endsWith("sh")) {
            return word + matchCase(word, "es");
        }
        if (lower.endsWith("y") && lower.length() > 1 && !isVowel(lower.charAt(lower.length() - 2))) {
            return word.substring(0, word.length() - 1) + matchCase(word, "ies");
        }
        if (lower.endsWith("o") && lower.length() > 1 && !isVowel(lower.charAt(lower.length() - 2))) {
            return word + matchCase(word, "es"); // hero → heroes; common -o exceptions are in IRREGULAR
        }
        return word + matchCase(word, "s");
    }

    private static boolean isVowel(char c) {
        return "aeiou".indexOf(c) >= 0;
    }

    // "USER" → "USERS", "User" → "Users": follow the case of the word's last letter (and first for irregulars).
    private static String matchCase(String word, String suffixOrWord) {
        boolean allUpper = word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT));
        if (allUpper) {
            return suffixOrWord.toUpperCase(Locale.ROOT);
        }
        if (IRREGULAR.containsValue(suffixOrWord) && Character.isUpperCase(word.charAt(0))) {
            return Character.toUpperCase(suffixOrWord.charAt(0)) + suffixOrWord.substring(1);
        }
        return suffixOrWord;
    }
}
