package ignis.bench.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The figures as a table, printed a group at a time, and as the JSON of {@code --json}. */
final class Report {

    private static final String[] HEAD = {"GROUP", "NAME", "SHAPE", "GFLOP/S", "GB/S", "MEDIAN", "MIN"};
    private static final String[] REFERENCE_HEAD = {"REF", "SPEED"};
    private static final int[] WIDTHS = {11, 21, 22, 9, 8, 10, 10, 10, 6};

    private final PrintStream out;
    private final boolean compared;

    Report(PrintStream out, boolean compared) {
        this.out = out;
        this.compared = compared;
    }

    void header() {
        List<String> cells = new ArrayList<>(List.of(HEAD));
        if (compared) {
            cells.addAll(List.of(REFERENCE_HEAD));
        }
        out.println(line(cells));
    }

    /** The rows of one group; {@code references} by the scripts' names, empty when not compared. */
    void rows(List<Figure> figures, Map<String, TorchReference.Result> references) {
        for (Figure f : figures) {
            List<String> cells = new ArrayList<>(List.of(f.group(), f.name(), f.shape(),
                    f.gflops().map(Report::rate).orElse("-"), f.gbps().map(Report::rate).orElse("-"),
                    time(f.timing().medianSeconds()), time(f.timing().minSeconds())));
            if (compared) {
                Optional<Double> seconds = f.referenceName().map(references::get).flatMap(r -> r.medianSeconds(f));
                cells.add(seconds.map(Report::time).orElse("-"));
                cells.add(seconds.map(s -> String.format(Locale.ROOT, "%.2f", s / f.timing().medianSeconds())).orElse("-"));
            }
            out.println(line(cells));
        }
        out.flush();
    }

    private static String line(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean numeric = i >= 3;
            int width = WIDTHS[i];
            if (i > 0) {
                b.append("  ");
            }
            b.append(numeric ? " ".repeat(Math.max(0, width - cell.length())) + cell
                    : i == cells.size() - 1 ? cell : cell + " ".repeat(Math.max(0, width - cell.length())));
        }
        return b.toString().stripTrailing();
    }

    /** Three significant figures, without an exponent. */
    static String rate(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value)
                : value >= 1 ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.3g", value);
    }

    /** Seconds as µs, ms or s, three significant figures. */
    static String time(double seconds) {
        if (seconds < 1e-3) {
            return rate(seconds * 1e6) + " µs";
        }
        if (seconds < 10) {
            return rate(seconds * 1e3) + " ms";
        }
        return rate(seconds) + " s";
    }

    /**
     * {@code {"benchmarks":[{"name":..,"shape":..,"dtype":..,"threads":..,"device":..,"gflops":..,"gbps":..,"median_ms":..}]}},
     * one figure a line; gflops and gbps are null where they mean nothing.
     */
    static String json(List<Figure> figures) {
        StringBuilder b = new StringBuilder("{\"benchmarks\":[");
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("{\"name\":").append(Json.string(f.name()))
                    .append(",\"shape\":").append(Json.string(f.shape()))
                    .append(",\"dtype\":").append(Json.string(f.dtype()))
                    .append(",\"threads\":").append(f.threads())
                    .append(",\"device\":").append(Json.string(f.device()))
                    .append(",\"gflops\":").append(Json.number(f.gflops()))
                    .append(",\"gbps\":").append(Json.number(f.gbps()))
                    .append(",\"median_ms\":").append(Json.number(f.medianMillis()))
                    .append('}');
        }
        return b.append("\n]}\n").toString();
    }
}
