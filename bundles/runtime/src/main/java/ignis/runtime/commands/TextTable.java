package ignis.runtime.commands;

import java.util.List;

/** Left-aligned columns separated by two spaces, as command-line tools print tables; no trailing blanks. */
final class TextTable {

    private TextTable() {
    }

    static String format(List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - row[c].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing());
        }
        return out.toString();
    }
}
