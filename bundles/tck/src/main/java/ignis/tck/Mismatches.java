package ignis.tck;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * The failures of one test, grouped by case, reported together at the end so that one run shows
 * every broken layout and value of an op at once. At most a few lines per case are kept.
 */
final class Mismatches {

    private static final int LINES_PER_CASE = 8;

    private final String test;
    private final List<String> report = new ArrayList<>();
    private String currentCase = "";
    private int inCase;
    private int total;
    private Throwable firstThrown;

    Mismatches(String test) {
        this.test = test;
    }

    /** Starts a case: the following failures are listed under this title. */
    void startCase(String title) {
        currentCase = title;
        inCase = 0;
    }

    void add(String line) {
        total++;
        inCase++;
        if (inCase == 1) {
            report.add("  case " + currentCase + ":");
        }
        if (inCase <= LINES_PER_CASE) {
            report.add("    " + line);
        } else if (inCase == LINES_PER_CASE + 1) {
            report.add("    ...");
        }
    }

    /** Records a kernel (or kit) exception as a failure of the current case. */
    void thrown(Throwable t) {
        if (firstThrown == null) {
            firstThrown = t;
        }
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\\R");
        StringBuilder b = new StringBuilder("threw ");
        for (int i = 0; i < Math.min(lines.length, 6); i++) {
            b.append(i == 0 ? "" : "\n      ").append(lines[i]);
        }
        add(b.toString());
    }

    /** Compares element {@code i} of {@code got} with {@code expected}; {@code where} names the element and its inputs. */
    void expect(Expected expected, Values got, int i, Supplier<String> where) {
        if (!expected.matches(got.dtype, got.raw(i))) {
            add(where.get() + ": expected " + expected.describe(got.dtype) + ", got " + got.show(i));
        }
    }

    /** The position of element {@code i} in a message: its multi-index. */
    static String at(int i, long[] shape) {
        return "element " + Layout.shapeText(Values.unravel(i, shape));
    }

    void throwIfAny() {
        if (total > 0) {
            Assertions.fail(test + ": " + total + " mismatch" + (total == 1 ? "" : "es") + "\n"
                    + String.join("\n", report), firstThrown);
        }
    }
}
