package im.tongyou.server.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Helpers for key paths and the "did you mean" suggestion shown for an unknown key. */
final class KeyNames {

    private KeyNames() {
    }

    /** The path of {@code key} under {@code parent}, the empty path being the root. */
    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** Whether the value under this key path is a secret that messages and printed configuration must mask. */
    static boolean isSecret(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("token");
    }

    /** The text to append to an unknown-key message: a close match, or the keys there are. */
    static String hint(String parent, String unknown, Collection<String> known) {
        Optional<String> close = closest(unknown, known);
        if (close.isPresent()) {
            return " (did you mean '" + join(parent, close.get()) + "'?)";
        }
        if (known.isEmpty()) {
            return "";
        }
        return " (known keys" + (parent.isEmpty() ? "" : " under '" + parent + "'") + ": "
                + String.join(", ", known) + ")";
    }

    /** The known key nearest to {@code unknown} when it is near enough to be a likely typo. */
    static Optional<String> closest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(unknown.toLowerCase(Locale.ROOT), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, unknown.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Edit distance counting insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
