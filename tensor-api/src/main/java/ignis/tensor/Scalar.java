package ignis.tensor;

/**
 * A Java number taking part in a tensor op, as a Python number does in PyTorch: it does not decide
 * the result's dtype unless it is of a higher category than the tensors (a float with integer
 * tensors gives float32, PyTorch's default dtype).
 */
record Scalar(double value, long exact, DType kind) {

    static Scalar of(double value) {
        return new Scalar(value, (long) value, DType.FLOAT64);
    }

    static Scalar of(long value) {
        return new Scalar(value, value, DType.INT64);
    }

    static Scalar of(boolean value) {
        return new Scalar(value ? 1 : 0, value ? 1 : 0, DType.BOOL);
    }

    /** The dtype a scalar of this kind counts as in type promotion. */
    DType promotionType() {
        return kind == DType.FLOAT64 ? DType.FLOAT32 : kind;
    }

    /** A rank-0 tensor holding this value in dtype. */
    Tensor toTensor(DType dtype, Device device) {
        return kind == DType.FLOAT64
                ? Creation.full(Shape.scalar(), value, dtype, device)
                : Creation.fullExact(Shape.scalar(), exact, dtype, device);
    }
}
