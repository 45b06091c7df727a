package ignis.backend.reference;

import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.ElementMath;
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
            case FLOOR_DIVIDE -> ElementMath.floorDivide(x, y);
            case REMAINDER -> ElementMath.remainder(x, y);
            case POW -> ElementMath.pow(x, y);
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
            case FLOOR_DIVIDE -> ElementMath.floorDivide(x, y);
            case REMAINDER -> ElementMath.remainder(x, y);
            case POW -> ElementMath.pow(x, y);
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

}
