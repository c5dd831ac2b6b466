package io.jruntime.cli.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The column layout of Go's text/tabwriter as runc's {@code list} uses it (minwidth 12, padding 3, padded with
 * spaces): every column but the last is as wide as its widest cell plus the padding, at least minwidth; the
 * last cell of a row is written as is. Widths count code points, as tabwriter counts runes.
 */
public final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final List<String[]> rows = new ArrayList<>();

    public TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    public TabWriter row(String... cells) {
        rows.add(cells);
        return this;
    }

    public String render() {
        int cols = 0;
        for (String[] r : rows) {
            cols = Math.max(cols, r.length);
        }
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < r.length - 1; c++) {
                width[c] = Math.max(width[c], Math.max(minWidth, len(r[c]) + padding));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                sb.append(r[c]);
                if (c < r.length - 1) {
                    for (int k = len(r[c]); k < width[c]; k++) {
                        sb.append(' ');
                    }
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
