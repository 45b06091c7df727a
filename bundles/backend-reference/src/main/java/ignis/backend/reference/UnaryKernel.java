package ignis.backend.reference;

import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.ElementMath;
import ignis.tensor.spi.ErrorFunction;
import ignis.tensor.spi.UnaryOp;

/**
 * Elementwise functions of one operand, {@code out[i] = f(in[i])}. Floats are computed in double
 * precision (exactly, for float32 input) and rounded once to the output: for float32 that is the
 * correctly rounded result wherever the double function is accurate to well under an ulp, which
 * {@link StrictMath} and {@link Erf} are. Integers are computed in long and wrap on the way out.
 */
final class UnaryKernel {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_TANH_CUBIC = 0.044715;

    private UnaryKernel() {
    }

    static void apply(UnaryOp op, TensorView outView, TensorView inView) {
        HostTensor out = new HostTensor(outView);
        HostTensor in = new HostTensor(inView);
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long from = in.offsetOf(walk.index());
            long to = out.offsetOf(walk.index());
            switch (op) {
                case LOGICAL_NOT -> out.writeBoolean(to, !in.readBoolean(from));
                case ISNAN -> out.writeBoolean(to, in.isFloatingPoint() && Double.isNaN(in.readDouble(from)));
                default -> {
                    if (in.isFloatingPoint()) {
                        out.writeDouble(to, floating(op, in.readDouble(from)));
                    } else {
                        out.writeLong(to, integral(op, in.readLong(from)));
                    }
                }
            }
        }
    }

    /** The op on a float32 or float64 value, in double precision. */
    static double floating(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> ElementMath.sign(x);
            // As torch.relu: NaN (for which x < 0 is false) and -0.0 pass through unchanged.
            case RELU -> x < 0 ? 0 : x;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case EXP -> StrictMath.exp(x);
            case EXPM1 -> StrictMath.expm1(x);
            case LOG -> StrictMath.log(x);
            case LOG1P -> StrictMath.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> StrictMath.sin(x);
            case COS -> StrictMath.cos(x);
            case TANH -> StrictMath.tanh(x);
            case SIGMOID -> 1 / (1 + StrictMath.exp(-x));
            case ERF -> ErrorFunction.erf(x);
            // Φ(x) = (1 + erf(x/√2))/2 = erfc(-x/√2)/2; the erfc form keeps its precision in the left
            // tail, where 1 + erf(x/√2) cancels to nothing.
            case GELU -> ElementMath.gelu(x);
            case GELU_TANH -> 0.5 * x * (1 + StrictMath.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x)));
            case LOGICAL_NOT, ISNAN -> throw new IllegalArgumentException(op + " writes bool: it has no float result");
        };
    }

    /** The op on an int32 or int64 value, in long; the caller's store wraps int32 results. */
    static long integral(UnaryOp op, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND, TRUNC -> x;
            default -> throw new IllegalArgumentException(op + " computes in float32 or float64: the core never "
                    + "passes it integers (its dtype rule is " + op.rule() + ")");
        };
    }

    /** -1, 0 or 1; NaN stays NaN and both zeros give +0, as torch.sign. */
}
