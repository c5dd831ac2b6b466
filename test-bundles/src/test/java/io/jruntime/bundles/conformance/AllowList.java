package io.jruntime.bundles.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one list of intended (or known, being fixed) differences from runc: the table in docs/CLI.md, section
 * "Differences from runc", whose rows start with a backquoted key:
 * {@code | `key` | `case glob` | `aspect` | `line regex` | reason |}. A difference in (case, aspect) is allowed by
 * the first row whose glob matches the case name, whose aspect is that aspect or {@code *}, and whose regex
 * matches every differing line ({@code *}: any line). Rows whose reason starts with "bug" are known bugs.
 */
record AllowList(List<Row> rows) {
    record Row(String key, Pattern cases, String aspect, Pattern lines, String reason) {
        boolean matches(String caseName, String a, List<String> diffLines) {
            return cases.matcher(caseName).matches() && (aspect.equals("*") || aspect.equals(a))
                    && diffLines.stream().allMatch(l -> lines.matcher(l).matches());
        }

        boolean bug() {
            return reason.startsWith("bug");
        }
    }

    static AllowList parse(Path cliMd) throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(cliMd)) {
            if (line.startsWith("## ")) {
                in = line.equals("## Differences from runc");
                continue;
            }
            if (!in || !line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 6) {
                throw new IllegalStateException("docs/CLI.md allow-list row needs 5 cells: " + line);
            }
            String regex = unquote(cells[4]);
            rows.add(new Row(unquote(cells[1]), glob(unquote(cells[2])), unquote(cells[3]),
                    Pattern.compile(regex.equals("*") ? ".*" : regex), cells[5].strip()));
        }
        return new AllowList(rows);
    }

    Row find(String caseName, String aspect, List<String> diffLines) {
        for (Row r : rows) {
            if (r.matches(caseName, aspect, diffLines)) {
                return r;
            }
        }
        return null;
    }

    private static String unquote(String cell) {
        return cell.strip().replace("`", "");
    }

    private static Pattern glob(String g) {
        StringBuilder sb = new StringBuilder();
        for (char c : g.toCharArray()) {
            sb.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(sb.toString());
    }
}
