package ignis.tck.api;

/**
 * Independent references in double precision: the special functions that Java lacks, the rounding of
 * the 16-bit float formats, and row-major index arithmetic. Nothing here calls Ignis.
 */
final class Reference {

    private Reference() {
    }

    /**
     * erf by its everywhere-convergent series of positive terms,
     * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))}, which has no
     * cancellation; |x| >= 6 gives +-1 to double precision.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax >= 6) {
            return Math.signum(x);
        }
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 400 && term > 1e-18 * sum; n++) {
            term *= 2 * ax * ax / (2 * n + 1);
            sum += term;
        }
        double value = 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
        return x < 0 ? -value : value;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The value of x once stored in float16 (through float32, as a C++ Half is made from a float). */
    static double toFloat16(double x) {
        return Float.float16ToFloat(Float.floatToFloat16((float) x));
    }

    /** The value of x once stored in bfloat16: float32's upper 16 bits, rounded to nearest even. */
    static double toBFloat16(double x) {
        float f = (float) x;
        if (Float.isNaN(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        int lower = bits & 0xFFFF;
        int upper = bits >>> 16;
        if (lower > 0x8000 || lower == 0x8000 && (upper & 1) == 1) {
            upper++;
        }
        return Float.intBitsToFloat(upper << 16);
    }

    /** x rounded to a floating dtype. */
    static double round(double x, ignis.tensor.DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> toFloat16(x);
            case BFLOAT16 -> toBFloat16(x);
            case FLOAT32 -> (float) x;
            default -> x;
        };
    }

    static double[] iota(long n) {
        double[] out = new double[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = i;
        }
        return out;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The multi-index of row-major position {@code flat}. */
    static long[] unravel(long flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    /** The row-major position of a multi-index. */
    static long ravel(long[] index, long[] shape) {
        long flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    static double[] map(double[] values, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(values[i]);
        }
        return out;
    }

    /** {@code log(sum(exp(values[from .. from+length))))} in float64, shifted by the maximum. */
    static double logSumExp(double[] values, int from, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + length; j++) {
            max = Math.max(max, values[j]);
        }
        double sum = 0;
        for (int j = from; j < from + length; j++) {
            sum += Math.exp(values[j] - max);
        }
        return max + Math.log(sum);
    }
}
