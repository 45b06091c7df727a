package ignis.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints tensors as PyTorch's {@code torch._tensor_str} does: 4 decimals, integer-valued floats as
 * {@code 1.}, scientific notation when magnitudes differ by more than 1000x, elements right-aligned
 * to a common width, rows wrapped at 80 columns, and only the 3 first and last items of each
 * dimension once a tensor has more than 1000 elements.
 */
final class TensorFormatter {

    private static final int PRECISION = 4;
    private static final int LINE_WIDTH = 80;
    private static final int EDGE_ITEMS = 3;
    private static final int THRESHOLD = 1000;
    private static final String PREFIX = "tensor(";

    private final boolean floating;
    private boolean intMode = true;
    private boolean sciMode;
    private int maxWidth = 1;

    private TensorFormatter(DType dtype, double[] values) {
        this.floating = dtype.isFloatingPoint();
        if (!floating) {
            for (double v : values) {
                maxWidth = Math.max(maxWidth, plain(dtype, v).length());
            }
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        boolean any = false;
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                any = true;
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                intMode &= v == Math.ceil(v);
            }
        }
        if (!any) {
            return;
        }
        sciMode = max / min > 1000 || max > 1e8 || !intMode && min < 1e-4;
        for (double v : values) {
            if (Double.isFinite(v) && v != 0) {
                String text = format(v);
                maxWidth = Math.max(maxWidth, text.length());
            }
        }
    }

    static String format(Tensor t) {
        boolean summarize = t.numel() > THRESHOLD;
        double[] values;
        try (DeviceGate.Nesting gate = DeviceGate.enter(new Tensor[] {t});
             Tensor shown = summarize ? summarized(t) : Views.alias(t)) {
            values = shown.dtype == DType.INT64 ? longsAsDoubles(shown) : shown.toDoubleArray();
        }
        TensorFormatter formatter = new TensorFormatter(t.dtype, values);
        long[] dims = t.shape.dims();
        String body;
        if (t.numel() == 0) {
            body = "[]";
        } else if (dims.length == 0) {
            body = formatter.element(t.dtype, values[0]);
        } else {
            body = formatter.block(t.dtype, dims, summarize, 0, values, new int[] {0}, PREFIX.length());
        }
        List<String> suffixes = new ArrayList<>();
        if (!t.device().equals(Device.CPU)) {
            suffixes.add("device='" + t.device() + "'");
        }
        if (t.numel() == 0 && dims.length != 1) {
            suffixes.add("size=" + tuple(dims));
        }
        // An empty tensor shows no element to tell int64 or bool from float32 by, so only float32 goes without saying.
        boolean defaultDType = t.numel() == 0 ? t.dtype == DType.FLOAT32
                : t.dtype == DType.FLOAT32 || t.dtype == DType.INT64 || t.dtype == DType.BOOL;
        if (!defaultDType) {
            suffixes.add("dtype=" + t.dtype);
        }
        if (t.gradFn() != null) {
            suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requires_grad=True");
        }
        return withSuffixes(PREFIX + body, suffixes);
    }

    /** int64 values through doubles would lose digits past 2^53: they are kept exact as long bits. */
    private static double[] longsAsDoubles(Tensor t) {
        long[] longs = t.toLongArray();
        double[] out = new double[longs.length];
        for (int i = 0; i < longs.length; i++) {
            out[i] = Double.longBitsToDouble(longs[i]);
        }
        return out;
    }

    /** The first and last EDGE_ITEMS of every long dimension, as a small copy. */
    private static Tensor summarized(Tensor t) {
        Tensor current = Views.alias(t);
        for (int d = 0; d < t.dim(); d++) {
            long size = t.shape.size(d);
            if (size > 2 * EDGE_ITEMS) {
                try (Tensor whole = current; Tensor head = whole.narrow(d, 0, EDGE_ITEMS); Tensor tail = whole.narrow(d, size - EDGE_ITEMS, EDGE_ITEMS)) {
                    current = Indexing.cat(List.of(head, tail), d);
                }
            }
        }
        return current;
    }

    /** One dimension's bracketed block; {@code next} walks the (summarized) values in order. */
    private String block(DType dtype, long[] dims, boolean summarize, int dim, double[] values, int[] next, int indent) {
        long size = dims[dim];
        boolean cut = summarize && size > 2 * EDGE_ITEMS;
        long shown = cut ? 2 * EDGE_ITEMS : size;
        List<String> items = new ArrayList<>();
        for (long i = 0; i < shown; i++) {
            if (cut && i == EDGE_ITEMS) {
                items.add(dim == dims.length - 1 ? " ..." : "...");
            }
            items.add(dim == dims.length - 1
                    ? element(dtype, values[next[0]++])
                    : block(dtype, dims, summarize, dim + 1, values, next, indent + 1));
        }
        if (dim < dims.length - 1) {
            String separator = "," + "\n".repeat(dims.length - 1 - dim) + " ".repeat(indent + 1);
            return "[" + String.join(separator, items) + "]";
        }
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (maxWidth + 2));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i += perLine) {
            lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    private String element(DType dtype, double value) {
        String text = floating ? format(value) : plain(dtype, value);
        return " ".repeat(Math.max(0, maxWidth - text.length())) + text;
    }

    private String format(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (sciMode) {
            return scientific(value, PRECISION);
        }
        if (intMode) {
            return fixed(value, 0) + ".";
        }
        return fixed(value, PRECISION);
    }

    /**
     * Python's {@code '%.Nf' % value}: the exact binary value rounded half to even (Java's Formatter
     * rounds half up from the shortest decimal, which differs on ties and near them).
     */
    static String fixed(double value, int decimals) {
        String digits = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return negative(value) && !digits.startsWith("-") ? "-" + digits : digits;
    }

    /** Python's {@code '%.Ne' % value}: N+1 significant digits, rounded half to even, a signed exponent of at least two digits. */
    static String scientific(double value, int decimals) {
        String sign = negative(value) ? "-" : "";
        if (value == 0) {
            return sign + fixed(0, decimals) + "e+00";
        }
        BigDecimal rounded = new BigDecimal(Math.abs(value)).round(new MathContext(decimals + 1, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String mantissa = rounded.movePointLeft(exponent).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    private static boolean negative(double value) {
        return value < 0 || value == 0 && 1 / value < 0;
    }

    private static String plain(DType dtype, double value) {
        return switch (dtype) {
            case BOOL -> value != 0 ? "True" : "False";
            case INT64 -> Long.toString(Double.doubleToRawLongBits(value));
            default -> Long.toString((long) value);
        };
    }

    private static String tuple(long[] dims) {
        List<String> parts = new ArrayList<>();
        for (long d : dims) {
            parts.add(Long.toString(d));
        }
        return "(" + String.join(", ", parts) + (dims.length == 1 ? ",)" : ")");
    }

    private static String withSuffixes(String text, List<String> suffixes) {
        StringBuilder out = new StringBuilder(text);
        int lastLine = text.length() - text.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(PREFIX.length())).append(suffix);
                lastLine = PREFIX.length() + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }
}
