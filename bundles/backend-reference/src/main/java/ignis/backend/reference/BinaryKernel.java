package ignis.backend.reference;

import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TensorView;

/**
 * Elementwise functions of two operands, {@code out[i] = f(a[i], b[i])}, with Python's and PyTorch's
 * semantics: floor division and remainder round toward negative infinity, MAXIMUM and MINIMUM
 * propagate NaN, every comparison with NaN is false except NE. Floats are computed in double and
 * rounded once to the output (for float32 operands the double sum, difference, product and quotient
 * round to exactly the float32 result); integers in long, wrapping on the way out.
 */
final class BinaryKernel {

    private BinaryKernel() {
    }

    static void apply(BinaryOp op, TensorView outView, TensorView aView, TensorView bView) {
        HostTensor out = new HostTensor(outView);
        HostTensor a = new HostTensor(aView);
        HostTensor b = new HostTensor(bView);
        boolean floating = a.isFloatingPoint() || b.isFloatingPoint();
        IndexWalk walk = new IndexWalk(out.shape());
        while (walk.next()) {
            long at = a.offsetOf(walk.index());
            long bt = b.offsetOf(walk.index());
            long to = out.offsetOf(walk.index());
            switch (op.rule()) {
                case ARITHMETIC, FLOATING -> {
                    if (floating) {
                        out.writeDouble(to, floating(op, a.readDouble(at), b.readDouble(bt)));
                    } else {
                        out.writeLong(to, integral(op, a.readLong(at), b.readLong(bt)));
                    }
                }
                case COMPARISON -> out.writeBoolean(to, floating
                        ? compare(op, a.readDouble(at), b.readDouble(bt))
                        : compare(op, a.readLong(at), b.readLong(bt)));
                case LOGICAL -> out.writeBoolean(to, logical(op, a.readBoolean(at), b.readBoolean(bt)));
            }
        }
    }

    static double floating(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOOR_DIVIDE -> floorDivide(x, y);
            case REMAINDER -> remainder(x, y);
            case POW -> power(x, y);
            // Math.max and Math.min return NaN when either operand is NaN, as required.
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case ATAN2 -> StrictMath.atan2(x, y);
            default -> throw new IllegalArgumentException(op + " has a bool result, not a float one");
        };
    }

    static long integral(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case FLOOR_DIVIDE -> Math.floorDiv(x, nonZeroDivisor(op, y));
            case REMAINDER -> Math.floorMod(x, nonZeroDivisor(op, y));
            case POW -> integerPower(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            default -> throw new IllegalArgumentException(op + " has no integer result: its dtype rule is " + op.rule());
        };
    }

    static boolean compare(BinaryOp op, double x, double y) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    static boolean compare(BinaryOp op, long x, long y) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    static boolean logical(BinaryOp op, boolean x, boolean y) {
        return switch (op) {
            case LOGICAL_AND -> x && y;
            case LOGICAL_OR -> x || y;
            case LOGICAL_XOR -> x != y;
            default -> throw new IllegalArgumentException(op + " is not a logical op");
        };
    }

    /**
     * Python's float {@code a // b}, as PyTorch computes it: from the exact remainder rather than
     * floor(a / b), whose rounded quotient can be off by one.
     */
    static double floorDivide(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double quotient = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            quotient -= 1;
        }
        if (quotient == 0) {
            return Math.copySign(0.0, a / b);
        }
        double floor = Math.floor(quotient);
        if (quotient - floor > 0.5) {
            floor += 1;
        }
        return floor;
    }

    /** Python's float {@code a % b}: the exact fmod, moved by b when its sign differs from b's. */
    static double remainder(double a, double b) {
        double mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            mod += b;
        }
        return mod;
    }

    /**
     * C's {@code pow}, which PyTorch calls. Java's {@code Math.pow} differs in two places: C gives 1 for
     * pow(1, y) with any y, NaN included, and for pow(-1, ±infinity), where Java gives NaN.
     */
    static double power(double x, double y) {
        if (x == 1 || x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return StrictMath.pow(x, y);
    }

    /** {@code base} to a non-negative power by repeated squaring, wrapping around as long arithmetic does; 0^0 = 1. */
    static long integerPower(long base, long exponent) {
        if (exponent < 0) {
            throw new ArithmeticException("Integers to negative integer powers are not allowed: " + base + " ** " + exponent);
        }
        long result = 1;
        while (exponent > 0) {
            if ((exponent & 1) != 0) {
                result *= base;
            }
            base *= base;
            exponent >>= 1;
        }
        return result;
    }

    private static long nonZeroDivisor(BinaryOp op, long divisor) {
        if (divisor == 0) {
            throw new ArithmeticException(op + ": integer division by zero");
        }
        return divisor;
    }
}
