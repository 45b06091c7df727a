package ignis.tensor;

import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.DTypeRule;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise ops: the core's half of the work. It resolves the result dtype (PyTorch's promotion and
 * the op's {@link DTypeRule}), broadcasts the operands, converts them to the dtype the kernel computes
 * in, and converts the kernel's output back when the result is float16 or bfloat16.
 */
final class Elementwise {

    private Elementwise() {
    }

    /**
     * The dtypes of one op: the kernel reads {@code compute}, writes {@code kernelOut}, and the caller
     * gets {@code result}.
     */
    private record Types(DType compute, DType kernelOut, DType result) {

        static Types of(DTypeRule rule, DType promoted) {
            return switch (rule) {
                case ARITHMETIC -> new Types(promoted.computeType(), promoted.computeType(), promoted);
                case FLOATING -> {
                    DType result = promoted.isFloatingPoint() ? promoted : DType.FLOAT32;
                    yield new Types(result.computeType(), result.computeType(), result);
                }
                case COMPARISON, LOGICAL -> new Types(promoted.computeType(), DType.BOOL, DType.BOOL);
            };
        }
    }

    // ---- unary --------------------------------------------------------------------------------

    static Tensor unary(UnaryOp op, Tensor x) {
        x.live();
        Types types = unaryTypes(op, x.dtype);
        try (Operands operands = new Operands(x.device(), x.shape)) {
            TensorView in = operands.add(x, types.compute);
            long[] layout = OutputLayout.of(x.shape.dims(), in);
            Tensor out = Creation.computed(x.shape, layout, types.kernelOut, x.device(), o -> x.backend().unary(op, o, in));
            return Transfers.castConsuming(out, types.result);
        }
    }

    static Tensor unaryInPlace(UnaryOp op, Tensor x) {
        requireWritable(x, op.name().toLowerCase() + "_");
        Types types = unaryTypes(op, x.dtype);
        requireCastable(types.result, x.dtype, op.name().toLowerCase() + "_");
        if (types.compute == x.dtype && types.kernelOut == x.dtype) {
            if (x.numel() > 0) {
                TensorView view = x.kernelView();
                x.backend().unary(op, view, view);
            }
            x.storage.bumpVersion();
            return x;
        }
        try (Tensor result = unary(op, x)) {
            return Transfers.copyInto(x, result);
        }
    }

    private static Types unaryTypes(UnaryOp op, DType dtype) {
        if (op.rule() == DTypeRule.ARITHMETIC && dtype == DType.BOOL) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " is not supported for bool tensors");
        }
        return Types.of(op.rule(), dtype);
    }

    // ---- binary -------------------------------------------------------------------------------

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return binaryOf(op, a.live(), b.live());
    }

    static Tensor binary(BinaryOp op, Tensor a, double b) {
        return binaryOf(op, a.live(), Scalar.of(b));
    }

    static Tensor binary(BinaryOp op, Tensor a, long b) {
        return binaryOf(op, a.live(), Scalar.of(b));
    }

    /** {@code a} is a Tensor; {@code b} a Tensor or a {@link Scalar}. */
    private static Tensor binaryOf(BinaryOp op, Tensor a, Object b) {
        Device device = commonDevice(op.name(), a, b);
        Shape shape = b instanceof Tensor t ? Shape.broadcast(a.shape, t.shape) : a.shape;
        DType promoted = TypePromotion.resultType(a, b);
        BinaryOp kernelOp = boolVariant(op, promoted);
        Types types = Types.of(kernelOp.rule(), promoted);
        try (Operands operands = new Operands(device, shape)) {
            TensorView va = operands.add(a, types.compute);
            TensorView vb = operands.add(b, types.compute);
            long[] layout = OutputLayout.of(shape.dims(), va, vb);
            Tensor out = Creation.computed(shape, layout, types.kernelOut, device, o -> a.backend().binary(kernelOp, o, va, vb));
            return Transfers.castConsuming(out, types.result);
        }
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor x, Tensor other) {
        return binaryInPlaceOf(op, x, other.live());
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor x, double other) {
        return binaryInPlaceOf(op, x, Scalar.of(other));
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor x, long other) {
        return binaryInPlaceOf(op, x, Scalar.of(other));
    }

    private static Tensor binaryInPlaceOf(BinaryOp op, Tensor x, Object other) {
        String name = op.name().toLowerCase() + "_";
        requireWritable(x, name);
        Device device = commonDevice(op.name(), x, other);
        if (other instanceof Tensor t && !Shape.broadcast(x.shape, t.shape).equals(x.shape)) {
            throw new IllegalArgumentException(name + ": output with shape " + x.shape
                    + " doesn't match the broadcast shape " + Shape.broadcast(x.shape, t.shape));
        }
        DType promoted = TypePromotion.resultType(x, other);
        BinaryOp kernelOp = boolVariant(op, promoted);
        Types types = Types.of(kernelOp.rule(), promoted);
        requireCastable(types.result, x.dtype, name);
        if (types.compute != x.dtype || types.kernelOut != x.dtype) {
            try (Tensor result = binaryOf(op, x, other)) {
                return Transfers.copyInto(x, result);
            }
        }
        try (Operands operands = new Operands(device, x.shape)) {
            TensorView vb = operands.addSeparateFrom(other, types.compute, x);
            if (x.numel() > 0) {
                TensorView self = x.kernelView();
                x.backend().binary(kernelOp, self, self, vb);
            }
        }
        x.storage.bumpVersion();
        return x;
    }

    /** Bool arithmetic as PyTorch does it: + is or, * is and; the rest has no bool meaning. */
    private static BinaryOp boolVariant(BinaryOp op, DType promoted) {
        if (promoted != DType.BOOL || op.rule() != DTypeRule.ARITHMETIC) {
            return op;
        }
        return switch (op) {
            case ADD, MAXIMUM -> BinaryOp.LOGICAL_OR;
            case MUL, MINIMUM -> BinaryOp.LOGICAL_AND;
            case SUB -> throw new IllegalArgumentException(
                    "subtraction of bool tensors is not supported: use logicalXor() or logicalNot()");
            default -> throw new IllegalArgumentException(op.name().toLowerCase() + " is not supported for bool tensors");
        };
    }

    // ---- ternary ------------------------------------------------------------------------------

    /** {@code condition ? a : b}; a and b are Tensors or Scalars. */
    static Tensor where(Tensor condition, Object a, Object b) {
        condition.live();
        if (condition.dtype != DType.BOOL) {
            throw new IllegalArgumentException("where: the condition must be a bool tensor, not " + condition.dtype);
        }
        Device device = commonDevice("where", condition, a, b);
        Shape shape = broadcastAll(condition, a, b);
        DType result = TypePromotion.resultType(a, b);
        return ternary(TernaryOp.WHERE, device, shape, result, condition, a, b);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        return clampOf(x.live(), Scalar.of(min), Scalar.of(max));
    }

    static Tensor clamp(Tensor x, Tensor min, Tensor max) {
        return clampOf(x.live(), min.live(), max.live());
    }

    private static Tensor clampOf(Tensor x, Object min, Object max) {
        if (x.dtype == DType.BOOL) {
            throw new IllegalArgumentException("clamp is not supported for bool tensors");
        }
        Device device = commonDevice("clamp", x, min, max);
        Shape shape = broadcastAll(x, min, max);
        return ternary(TernaryOp.CLAMP, device, shape, TypePromotion.resultType(x, min, max), x, min, max);
    }

    static Tensor clampInPlace(Tensor x, double min, double max) {
        requireWritable(x, "clamp_");
        try (Tensor result = clamp(x, min, max)) {
            requireCastable(result.dtype, x.dtype, "clamp_");
            return Transfers.copyInto(x, result);
        }
    }

    /** {@code value} where the mask is true: the tensor keeps its dtype, the value is converted to it. */
    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        x.live();
        mask.live();
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: the mask must be a bool tensor, not " + mask.dtype);
        }
        if (!Shape.broadcast(x.shape, mask.shape).equals(x.shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + mask.shape + " cannot be broadcast to the tensor's shape " + x.shape);
        }
        Device device = commonDevice("maskedFill", x, mask);
        try (Tensor filler = Creation.full(Shape.scalar(), value, x.dtype, device)) {
            return ternary(TernaryOp.WHERE, device, x.shape, x.dtype, mask, filler, x);
        }
    }

    static Tensor maskedFillInPlace(Tensor x, Tensor mask, double value) {
        requireWritable(x, "maskedFill_");
        try (Tensor result = maskedFill(x, mask, value)) {
            return Transfers.copyInto(x, result);
        }
    }

    private static Tensor ternary(TernaryOp op, Device device, Shape shape, DType result, Object first, Object a, Object b) {
        DType compute = result.computeType();
        try (Operands operands = new Operands(device, shape)) {
            TensorView v0 = operands.add(first, op == TernaryOp.WHERE ? DType.BOOL : compute);
            TensorView v1 = operands.add(a, compute);
            TensorView v2 = operands.add(b, compute);
            long[] layout = OutputLayout.of(shape.dims(), v0, v1, v2);
            Tensor out = Creation.computed(shape, layout, compute, device, o -> BackendRegistry.backendFor(device).ternary(op, o, v0, v1, v2));
            return Transfers.castConsuming(out, result);
        }
    }

    // ---- shared -------------------------------------------------------------------------------

    private static Shape broadcastAll(Object... operands) {
        Shape shape = Shape.scalar();
        for (Object operand : operands) {
            if (operand instanceof Tensor t) {
                shape = Shape.broadcast(shape, t.shape);
            }
        }
        return shape;
    }

    /** The device all tensor operands are on; scalars follow it. */
    static Device commonDevice(String op, Object... operands) {
        Device device = null;
        for (Object operand : operands) {
            if (operand instanceof Tensor t) {
                Device d = t.live().device();
                if (device == null) {
                    device = d;
                } else if (!device.equals(d)) {
                    throw new IllegalArgumentException(op.toLowerCase() + ": expected all tensors to be on the same device, but found tensors on "
                            + device + " and " + d);
                }
            }
        }
        return device == null ? Device.CPU : device;
    }

    private static void requireCastable(DType result, DType target, String op) {
        if (!TypePromotion.canCast(result, target)) {
            throw new IllegalArgumentException(op + ": result type " + result + " can't be cast to the desired output type " + target);
        }
    }

    /** In-place ops cannot write a tensor in which several elements share one address (an expanded view). */
    static void requireWritable(Tensor x, String op) {
        x.live();
        long[] dims = x.shape.dims();
        for (int d = 0; d < dims.length; d++) {
            if (x.strides[d] == 0 && dims[d] > 1) {
                throw new IllegalArgumentException(op + ": more than one element of the written-to tensor (shape " + x.shape
                        + ", strides " + java.util.Arrays.toString(x.strides) + ") refers to a single memory location; clone() it first");
            }
        }
    }

    /** A kernel view of t broadcast to shape: stride 0 where t is repeated. Copies nothing, makes no handle. */
    static TensorView broadcastView(Tensor t, Shape shape) {
        if (t.shape.equals(shape)) {
            return t.kernelView();
        }
        long[] dims = shape.dims();
        long[] own = t.shape.dims();
        long[] strides = new long[dims.length];
        int lead = dims.length - own.length;
        for (int d = lead; d < dims.length; d++) {
            strides[d] = own[d - lead] == dims[d] ? t.strides[d - lead] : 0;
        }
        return new TensorView(t.live().storage.current(), t.dtype, t.offset, dims, strides);
    }

    /**
     * The kernel views of an op's inputs: converted to the compute dtype and broadcast to the op's
     * shape, with the temporary tensors this took closed at the end.
     */
    static final class Operands implements AutoCloseable {
        private final Device device;
        private final Shape shape;
        private final List<Tensor> temporaries = new ArrayList<>();

        Operands(Device device, Shape shape) {
            this.device = device;
            this.shape = shape;
        }

        TensorView add(Object operand, DType dtype) {
            return broadcastView(converted(operand, dtype), shape);
        }

        /** Like {@link #add}, but copied first when it shares memory with {@code target} in another layout. */
        TensorView addSeparateFrom(Object operand, DType dtype, Tensor target) {
            Tensor t = converted(operand, dtype);
            if (t.sharesMemoryWith(target) && !Transfers.sameView(t, target)) {
                t = keep(t.clone());
            }
            return broadcastView(t, shape);
        }

        /** The operand in dtype: itself when it has that dtype, else a temporary closed with these operands. */
        private Tensor converted(Object operand, DType dtype) {
            return switch (operand) {
                case Tensor t when t.dtype == dtype -> t;
                case Tensor t -> keep(Transfers.cast(t, dtype));
                case Scalar s -> keep(s.toTensor(dtype, device));
                default -> throw new IllegalArgumentException("not a tensor or a scalar: " + operand);
            };
        }

        private Tensor keep(Tensor t) {
            temporaries.add(t);
            return t;
        }

        @Override
        public void close() {
            temporaries.forEach(Tensor::close);
        }
    }
}
