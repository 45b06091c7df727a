package ignis.tck;

import ignis.tensor.DType;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What one output element must be: a value with its tolerance, an exact integer, a truth, raw bits, or any of several. */
abstract class Expected {

    /** Whether raw bits of {@code dtype} meet the expectation. */
    abstract boolean matches(DType dtype, long raw);

    /** The expectation, for a message. */
    abstract String describe(DType dtype);

    /**
     * A floating result: NaN must be NaN; a value that rounds to an infinity in the output dtype,
     * or any value when {@code tolerance} is 0, must equal the value rounded to the output dtype
     * (0.0 and -0.0 are equal); otherwise the result must lie within {@code tolerance} of it.
     */
    static Expected real(double value, double tolerance) {
        return new Real(value, tolerance);
    }

    /** A result correctly rounded (to nearest even) from {@code value}. */
    static Expected exact(double value) {
        return new Real(value, 0);
    }

    /** An integral result, already wrapped into the output dtype. */
    static Expected integer(long value) {
        return new Integer(value);
    }

    /** A bool result that a kernel computes: exactly byte 1 for true and 0 for false. */
    static Expected bool(boolean value) {
        return new Truth(value, true);
    }

    /** A bool result that a kernel moves from an input: true may be any non-zero byte. */
    static Expected truth(boolean value) {
        return new Truth(value, false);
    }

    /** Exactly these raw bits. */
    static Expected bits(long raw) {
        return new Bits(raw);
    }

    static Expected anyOf(Expected... options) {
        return options.length == 1 ? options[0] : new AnyOf(options);
    }

    private static final class Real extends Expected {
        final double value;
        final double tolerance;

        Real(double value, double tolerance) {
            this.value = value;
            this.tolerance = tolerance;
        }

        @Override
        boolean matches(DType dtype, long raw) {
            double got = Numbers.real(dtype, raw);
            if (Double.isNaN(value)) {
                return Double.isNaN(got);
            }
            double rounded = Numbers.round(value, dtype);
            if (tolerance == 0 || Double.isInfinite(rounded)) {
                return got == rounded;
            }
            return Math.abs(got - value) <= tolerance;
        }

        @Override
        String describe(DType dtype) {
            if (tolerance == 0 || Double.isNaN(value) || Double.isInfinite(Numbers.round(value, dtype))) {
                return Numbers.show(dtype, Numbers.encode(dtype, value)) + (dtype == DType.FLOAT64 || Double.isNaN(value) ? "" : " (exactly " + value + ")");
            }
            return value + " +- " + tolerance;
        }
    }

    private static final class Integer extends Expected {
        final long value;

        Integer(long value) {
            this.value = value;
        }

        @Override
        boolean matches(DType dtype, long raw) {
            return Numbers.integer(dtype, raw) == value;
        }

        @Override
        String describe(DType dtype) {
            return Long.toString(value);
        }
    }

    private static final class Truth extends Expected {
        final boolean value;
        final boolean canonical;

        Truth(boolean value, boolean canonical) {
            this.value = value;
            this.canonical = canonical;
        }

        @Override
        boolean matches(DType dtype, long raw) {
            long b = raw & 0xFF;
            return canonical ? b == (value ? 1 : 0) : (b != 0) == value;
        }

        @Override
        String describe(DType dtype) {
            return canonical ? (value ? "true (byte 1)" : "false") : (value ? "true (any non-zero byte)" : "false");
        }
    }

    private static final class Bits extends Expected {
        final long raw;

        Bits(long raw) {
            this.raw = raw;
        }

        @Override
        boolean matches(DType dtype, long got) {
            return (got & Numbers.mask(dtype)) == (raw & Numbers.mask(dtype));
        }

        @Override
        String describe(DType dtype) {
            return "bits 0x" + Long.toHexString(raw & Numbers.mask(dtype));
        }
    }

    private static final class AnyOf extends Expected {
        final Expected[] options;

        AnyOf(Expected[] options) {
            this.options = options;
        }

        @Override
        boolean matches(DType dtype, long raw) {
            for (Expected e : options) {
                if (e.matches(dtype, raw)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String describe(DType dtype) {
            return "any of " + Arrays.stream(options).map(e -> e.describe(dtype)).collect(Collectors.joining(", "));
        }
    }
}
