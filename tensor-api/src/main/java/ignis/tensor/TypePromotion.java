package ignis.tensor;

/**
 * PyTorch's result-type rule: tensors with dimensions decide first, then rank-0 tensors, then
 * scalars; a lower tier changes the result only when its category (bool, integral, floating) is
 * higher, and then the types are promoted together. Scalars count as float32, int64 or bool.
 */
final class TypePromotion {

    private DType dimensioned;
    private DType zeroDim;
    private DType scalars;

    private TypePromotion() {
    }

    static DType resultType(Object... operands) {
        TypePromotion state = new TypePromotion();
        for (Object operand : operands) {
            switch (operand) {
                case Tensor t when t.dim() > 0 -> state.dimensioned = promote(state.dimensioned, t.dtype);
                case Tensor t -> state.zeroDim = promote(state.zeroDim, t.dtype);
                case Scalar s -> state.scalars = promote(state.scalars, s.promotionType());
                default -> throw new IllegalArgumentException("not a tensor or a scalar: " + operand);
            }
        }
        return combine(state.dimensioned, combine(state.zeroDim, state.scalars));
    }

    private static DType promote(DType a, DType b) {
        return a == null ? b : DType.promote(a, b);
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) {
            return lower;
        }
        if (lower == null || higher.isFloatingPoint()) {
            return higher;
        }
        if (higher == DType.BOOL || lower.isFloatingPoint()) {
            return DType.promote(higher, lower);
        }
        return higher;
    }

    /**
     * Whether a value of {@code from} may be written into a tensor of {@code to} by an in-place op:
     * not floating into integral or bool, not integral into bool.
     */
    static boolean canCast(DType from, DType to) {
        return from.category().compareTo(to.category()) <= 0;
    }
}
