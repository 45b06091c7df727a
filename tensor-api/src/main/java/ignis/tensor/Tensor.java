package ignis.tensor;

import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A multi-dimensional array of one dtype on one device, as PyTorch's {@code torch.Tensor}: a handle
 * to shared memory with a shape, strides and an offset. Views ({@link #view}, {@link #transpose},
 * {@link #narrow}...) share memory and copy nothing; methods ending in {@code _} write in place and
 * bump the version counter that views share. Broadcasting and type promotion follow PyTorch.
 *
 * <p>A tensor holds memory until it is {@linkplain #close() closed}, closed by the
 * {@linkplain Tensors#scope() scope} it was made in, or collected (a cleaner is the safety net).
 * Tensors may be read from many threads; in-place writes to one tensor from several threads are
 * not supported.
 */
public final class Tensor implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "ignis-tensor-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    final TensorStorage storage;
    final Shape shape;
    final long[] strides;
    final long offset;
    final DType dtype;

    private final Handle handle;
    private final Cleaner.Cleanable cleanable;

    private boolean requiresGrad;
    private Tensor grad;

    /** What the cleaner runs once, on close or collection: it must not reach the tensor itself. */
    private static final class Handle implements Runnable {
        private final TensorStorage storage;
        private final AtomicBoolean closed = new AtomicBoolean();

        Handle(TensorStorage storage) {
            this.storage = storage;
        }

        @Override
        public void run() {
            if (closed.compareAndSet(false, true)) {
                storage.release();
                MemoryCounters.tensorClosed();
            }
        }
    }

    Tensor(TensorStorage storage, Shape shape, long[] strides, long offset, DType dtype) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = dtype;
        storage.retain();
        MemoryCounters.tensorOpened();
        this.handle = new Handle(storage);
        this.cleanable = CLEANER.register(this, handle);
        TensorScope.track(this);
    }

    // ---- what the tensor is -------------------------------------------------------------------

    public Shape shape() {
        return shape;
    }

    /** The size of one dimension; negative dims count from the end. */
    public long size(int dim) {
        return shape.size(dim);
    }

    /** The number of dimensions (PyTorch's {@code dim()}). */
    public int dim() {
        return shape.rank();
    }

    public long numel() {
        return shape.numel();
    }

    public DType dtype() {
        return dtype;
    }

    public Device device() {
        return storage.device();
    }

    /** Element strides of each dimension. */
    public long[] stride() {
        return strides.clone();
    }

    public long stride(int dim) {
        return strides[Shape.normalizeDim(dim, dim())];
    }

    /** The element offset of the first element in the shared memory. */
    public long storageOffset() {
        return offset;
    }

    /** Whether the elements are dense in row-major order. */
    public boolean isContiguous() {
        return Views.isContiguous(shape.dims(), strides);
    }

    /** The number of in-place writes to this tensor's memory, shared with its views. */
    public long version() {
        return storage.version();
    }

    /** Whether this tensor and {@code other} are views of the same memory. */
    public boolean sharesMemoryWith(Tensor other) {
        return storage == other.storage;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Releases this handle; the memory is freed when the last view of it is closed. Closing twice does nothing. */
    @Override
    public void close() {
        cleanable.clean();
    }

    public boolean isClosed() {
        return handle.closed.get();
    }

    /** Fails when the tensor was closed: every operation starts here. */
    Tensor live() {
        if (handle.closed.get()) {
            throw new IllegalStateException("tensor " + shape + " " + dtype + " was closed");
        }
        return this;
    }

    /** The tensor as a kernel sees it. */
    TensorView kernelView() {
        live();
        return new TensorView(storage.current(), dtype, offset, shape.dims(), strides);
    }

    Backend backend() {
        return BackendRegistry.backendFor(device());
    }

    // ---- autograd fields ----------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks the tensor as a leaf whose gradient {@link #backward()} accumulates in {@link #grad()}.
     * Only floating-point tensors can require gradients.
     */
    public Tensor requiresGrad_(boolean requires) {
        if (requires && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only floating-point tensors can require gradients, not " + dtype);
        }
        this.requiresGrad = requires;
        return this;
    }

    /** The accumulated gradient, or null before the first backward pass. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor grad) {
        this.grad = grad;
    }

    /** Computes gradients of this scalar with respect to the leaves that require them. */
    public void backward() {
        throw new IllegalStateException("backward(): no autograd engine is installed (install the ignis autograd bundle)");
    }

    // ---- conversions --------------------------------------------------------------------------

    /** This tensor in another dtype: a copy, or a new handle to the same memory when the dtype is already right. */
    public Tensor to(DType target) {
        return Transfers.cast(live(), target);
    }

    /** This tensor on another device: a copy, or a new handle to the same memory when it is there already. */
    public Tensor to(Device target) {
        return Transfers.toDevice(live(), target);
    }

    public Tensor cpu() {
        return to(Device.CPU);
    }

    /**
     * A contiguous tensor with the same values: a copy, or a new handle to the same memory when this
     * one is contiguous already. Conversions always return a new handle, so that closing the result
     * never closes this tensor.
     */
    public Tensor contiguous() {
        return isContiguous() ? Views.alias(live()) : clone();
    }

    /** A copy in new, contiguous memory. */
    @Override
    public Tensor clone() {
        return Transfers.copyOf(live());
    }

    /** A view of the same memory that does not require gradients. */
    public Tensor detach() {
        return Views.alias(live());
    }

    public float[] toFloatArray() {
        return Transfers.toFloatArray(live());
    }

    public double[] toDoubleArray() {
        return Transfers.toDoubleArray(live());
    }

    public int[] toIntArray() {
        return Transfers.toIntArray(live());
    }

    public long[] toLongArray() {
        return Transfers.toLongArray(live());
    }

    public boolean[] toBooleanArray() {
        return Transfers.toBooleanArray(live());
    }

    /** The value of a one-element tensor as a double. */
    public double item() {
        requireOneElement("item()");
        return toDoubleArray()[0];
    }

    /** The value of a one-element tensor as a long (exact for int64). */
    public long itemLong() {
        requireOneElement("itemLong()");
        return toLongArray()[0];
    }

    private void requireOneElement(String what) {
        if (numel() != 1) {
            throw new IllegalStateException(what + " needs a tensor with one element, not " + numel() + " (shape " + shape + ")");
        }
    }

    // ---- views --------------------------------------------------------------------------------

    /** The same memory with another shape; one size may be -1. Fails when the strides do not allow it. */
    public Tensor view(long... sizes) {
        return Views.view(live(), sizes);
    }

    /** {@link #view} when the strides allow it, else a contiguous copy with the new shape. */
    public Tensor reshape(long... sizes) {
        return Views.reshape(live(), sizes);
    }

    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(live(), dim0, dim1);
    }

    /** The transpose of a matrix (rank 2); rank 0 and 1 are returned as they are. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor of rank <= 2, got shape " + shape + "; use transpose(dim0, dim1)");
        }
        return dim() < 2 ? Views.alias(live()) : transpose(0, 1);
    }

    public Tensor permute(int... dims) {
        return Views.permute(live(), dims);
    }

    /** Elements {@code start .. start+length-1} of one dimension; a negative start counts from the end. */
    public Tensor narrow(int dim, long start, long length) {
        return Views.narrow(live(), dim, start, length);
    }

    /**
     * Python's {@code x[..., start:end:step, ...]} on one dimension: negative start and end count
     * from the end, both are clamped to the size, and step is positive.
     */
    public Tensor slice(int dim, long start, long end, long step) {
        return Views.slice(live(), dim, start, end, step);
    }

    /** The sub-tensor at {@code index} of a dimension, which disappears; a negative index counts from the end. */
    public Tensor select(int dim, long index) {
        return Views.select(live(), dim, index);
    }

    /** Repeats dimensions of size 1 (or adds leading ones) without copying; -1 keeps a size. */
    public Tensor expand(long... sizes) {
        return Views.expand(live(), sizes);
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.shape.toArray());
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return Views.squeeze(live(), null);
    }

    /** Removes the dimension if its size is 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(live(), dim);
    }

    /** Inserts a dimension of size 1 at {@code dim} (from 0 to {@code dim()}; negative counts from the end). */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(live(), dim);
    }

    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Merges dimensions {@code startDim..endDim} into one: a view when possible, else a copy. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(live(), startDim, endDim);
    }

    // ---- elementwise --------------------------------------------------------------------------

    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    public Tensor add(double value) {
        return Elementwise.binary(BinaryOp.ADD, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor add(long value) {
        return Elementwise.binary(BinaryOp.ADD, this, value);
    }

    /** {@code this + alpha * other}, as {@code torch.add(input, other, alpha=...)}. */
    public Tensor add(Tensor other, double alpha) {
        if (alpha == 1) {
            return add(other);
        }
        try (Tensor scaled = other.mul(alpha)) {
            return add(scaled);
        }
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    public Tensor sub(double value) {
        return Elementwise.binary(BinaryOp.SUB, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor sub(long value) {
        return Elementwise.binary(BinaryOp.SUB, this, value);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mul(double value) {
        return Elementwise.binary(BinaryOp.MUL, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor mul(long value) {
        return Elementwise.binary(BinaryOp.MUL, this, value);
    }

    /** True division: integers divide into float32. */
    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    public Tensor div(double value) {
        return Elementwise.binary(BinaryOp.DIV, this, value);
    }

    public Tensor floorDivide(Tensor other) {
        return Elementwise.binary(BinaryOp.FLOOR_DIVIDE, this, other);
    }

    public Tensor floorDivide(double value) {
        return Elementwise.binary(BinaryOp.FLOOR_DIVIDE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor floorDivide(long value) {
        return Elementwise.binary(BinaryOp.FLOOR_DIVIDE, this, value);
    }

    /** Python's {@code %}: the result takes the divisor's sign. */
    public Tensor remainder(Tensor other) {
        return Elementwise.binary(BinaryOp.REMAINDER, this, other);
    }

    public Tensor remainder(double value) {
        return Elementwise.binary(BinaryOp.REMAINDER, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor remainder(long value) {
        return Elementwise.binary(BinaryOp.REMAINDER, this, value);
    }

    public Tensor pow(Tensor exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor pow(double exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor pow(long exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other);
    }

    public Tensor atan2(Tensor other) {
        return Elementwise.binary(BinaryOp.ATAN2, this, other);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.binary(BinaryOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return Elementwise.binary(BinaryOp.EQ, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor eq(long value) {
        return Elementwise.binary(BinaryOp.EQ, this, value);
    }

    public Tensor ne(Tensor other) {
        return Elementwise.binary(BinaryOp.NE, this, other);
    }

    public Tensor ne(double value) {
        return Elementwise.binary(BinaryOp.NE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor ne(long value) {
        return Elementwise.binary(BinaryOp.NE, this, value);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.binary(BinaryOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return Elementwise.binary(BinaryOp.LT, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor lt(long value) {
        return Elementwise.binary(BinaryOp.LT, this, value);
    }

    public Tensor le(Tensor other) {
        return Elementwise.binary(BinaryOp.LE, this, other);
    }

    public Tensor le(double value) {
        return Elementwise.binary(BinaryOp.LE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor le(long value) {
        return Elementwise.binary(BinaryOp.LE, this, value);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.binary(BinaryOp.GT, this, other);
    }

    public Tensor gt(double value) {
        return Elementwise.binary(BinaryOp.GT, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor gt(long value) {
        return Elementwise.binary(BinaryOp.GT, this, value);
    }

    public Tensor ge(Tensor other) {
        return Elementwise.binary(BinaryOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return Elementwise.binary(BinaryOp.GE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor ge(long value) {
        return Elementwise.binary(BinaryOp.GE, this, value);
    }

    public Tensor logicalAnd(Tensor other) {
        return Elementwise.binary(BinaryOp.LOGICAL_AND, this, other);
    }

    public Tensor logicalOr(Tensor other) {
        return Elementwise.binary(BinaryOp.LOGICAL_OR, this, other);
    }

    public Tensor logicalXor(Tensor other) {
        return Elementwise.binary(BinaryOp.LOGICAL_XOR, this, other);
    }

    public Tensor logicalNot() {
        return Elementwise.unary(UnaryOp.LOGICAL_NOT, this);
    }

    public Tensor isnan() {
        return Elementwise.unary(UnaryOp.ISNAN, this);
    }

    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this);
    }

    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this);
    }

    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this);
    }

    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this);
    }

    public Tensor floor() {
        return Elementwise.unary(UnaryOp.FLOOR, this);
    }

    public Tensor ceil() {
        return Elementwise.unary(UnaryOp.CEIL, this);
    }

    /** Rounds half to even, as {@code torch.round}. */
    public Tensor round() {
        return Elementwise.unary(UnaryOp.ROUND, this);
    }

    public Tensor trunc() {
        return Elementwise.unary(UnaryOp.TRUNC, this);
    }

    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this);
    }

    public Tensor expm1() {
        return Elementwise.unary(UnaryOp.EXPM1, this);
    }

    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this);
    }

    public Tensor log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this);
    }

    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this);
    }

    public Tensor rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this);
    }

    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this);
    }

    public Tensor square() {
        return mul(this);
    }

    public Tensor sin() {
        return Elementwise.unary(UnaryOp.SIN, this);
    }

    public Tensor cos() {
        return Elementwise.unary(UnaryOp.COS, this);
    }

    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this);
    }

    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this);
    }

    public Tensor erf() {
        return Elementwise.unary(UnaryOp.ERF, this);
    }

    /** GELU with the exact normal CDF, as {@code torch.nn.functional.gelu}. */
    public Tensor gelu() {
        return Elementwise.unary(UnaryOp.GELU, this);
    }

    /** GELU with PyTorch's {@code approximate='tanh'}. */
    public Tensor geluTanh() {
        return Elementwise.unary(UnaryOp.GELU_TANH, this);
    }

    /** Clamps into [min, max]; NaN stays NaN. */
    public Tensor clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    public Tensor clamp(Tensor min, Tensor max) {
        return Elementwise.clamp(this, min, max);
    }

    public Tensor clampMin(double min) {
        return Elementwise.clamp(this, min, Double.POSITIVE_INFINITY);
    }

    public Tensor clampMax(double max) {
        return Elementwise.clamp(this, Double.NEGATIVE_INFINITY, max);
    }

    /** {@code value} where {@code mask} is true, this tensor's element elsewhere. */
    public Tensor maskedFill(Tensor mask, double value) {
        return Elementwise.maskedFill(this, mask, value);
    }

    // ---- in place -----------------------------------------------------------------------------

    public Tensor add_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, other);
    }

    public Tensor add_(double value) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, value);
    }

    public Tensor add_(long value) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, value);
    }

    public Tensor sub_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.SUB, this, other);
    }

    public Tensor sub_(double value) {
        return Elementwise.binaryInPlace(BinaryOp.SUB, this, value);
    }

    public Tensor sub_(long value) {
        return Elementwise.binaryInPlace(BinaryOp.SUB, this, value);
    }

    public Tensor mul_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.MUL, this, other);
    }

    public Tensor mul_(double value) {
        return Elementwise.binaryInPlace(BinaryOp.MUL, this, value);
    }

    public Tensor mul_(long value) {
        return Elementwise.binaryInPlace(BinaryOp.MUL, this, value);
    }

    public Tensor div_(Tensor other) {
        return Elementwise.binaryInPlace(BinaryOp.DIV, this, other);
    }

    public Tensor div_(double value) {
        return Elementwise.binaryInPlace(BinaryOp.DIV, this, value);
    }

    public Tensor pow_(double exponent) {
        return Elementwise.binaryInPlace(BinaryOp.POW, this, exponent);
    }

    public Tensor neg_() {
        return Elementwise.unaryInPlace(UnaryOp.NEG, this);
    }

    public Tensor abs_() {
        return Elementwise.unaryInPlace(UnaryOp.ABS, this);
    }

    public Tensor exp_() {
        return Elementwise.unaryInPlace(UnaryOp.EXP, this);
    }

    public Tensor log_() {
        return Elementwise.unaryInPlace(UnaryOp.LOG, this);
    }

    public Tensor sqrt_() {
        return Elementwise.unaryInPlace(UnaryOp.SQRT, this);
    }

    public Tensor relu_() {
        return Elementwise.unaryInPlace(UnaryOp.RELU, this);
    }

    public Tensor sigmoid_() {
        return Elementwise.unaryInPlace(UnaryOp.SIGMOID, this);
    }

    public Tensor tanh_() {
        return Elementwise.unaryInPlace(UnaryOp.TANH, this);
    }

    public Tensor clamp_(double min, double max) {
        return Elementwise.clampInPlace(this, min, max);
    }

    public Tensor maskedFill_(Tensor mask, double value) {
        return Elementwise.maskedFillInPlace(this, mask, value);
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(double value) {
        return Creation.fillInPlace(this, value);
    }

    public Tensor zero_() {
        return fill_(0);
    }

    /** Copies {@code src} into this tensor, broadcasting it and converting its dtype. */
    public Tensor copy_(Tensor src) {
        return Transfers.copyInto(live(), src);
    }

    /** Fills with uniform draws from [from, to) of the default generator. */
    public Tensor uniform_(double from, double to) {
        return Creation.uniformInPlace(this, from, to, Generator.defaultGenerator());
    }

    /** Fills with normal draws of the default generator. */
    public Tensor normal_(double mean, double std) {
        return Creation.normalInPlace(this, mean, std, Generator.defaultGenerator());
    }

    // ---- reductions ---------------------------------------------------------------------------

    /** The sum of all elements (int64 for integral and bool tensors). */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, new int[] {dim}, keepDim);
    }

    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, dims, keepDim);
    }

    public Tensor prod() {
        return Reductions.prod(this, null, false);
    }

    public Tensor prod(int dim, boolean keepDim) {
        return Reductions.prod(this, new int[] {dim}, keepDim);
    }

    /** The mean of all elements; floating-point tensors only, as in PyTorch. */
    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, new int[] {dim}, keepDim);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    /** The largest element; NaN if any element is NaN. */
    public Tensor max() {
        return Reductions.extreme(this, true, null, false);
    }

    /** The largest elements along a dimension and their indices (the first one on ties). */
    public ValuesAndIndices max(int dim, boolean keepDim) {
        return Reductions.extremeWithIndices(this, true, dim, keepDim);
    }

    public Tensor min() {
        return Reductions.extreme(this, false, null, false);
    }

    public ValuesAndIndices min(int dim, boolean keepDim) {
        return Reductions.extremeWithIndices(this, false, dim, keepDim);
    }

    /** The largest elements over dimensions, as {@code torch.amax}. */
    public Tensor amax(int[] dims, boolean keepDim) {
        return Reductions.extreme(this, true, dims, keepDim);
    }

    public Tensor amin(int[] dims, boolean keepDim) {
        return Reductions.extreme(this, false, dims, keepDim);
    }

    /** The index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return Reductions.argExtreme(this, true, null, false);
    }

    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, true, dim, keepDim);
    }

    public Tensor argmin() {
        return Reductions.argExtreme(this, false, null, false);
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, false, dim, keepDim);
    }

    /** The variance with Bessel's correction (correction 1), as {@code torch.var}. */
    public Tensor var() {
        return Reductions.var(this, null, false, 1);
    }

    public Tensor var(int dim, boolean keepDim) {
        return Reductions.var(this, new int[] {dim}, keepDim, 1);
    }

    /** The variance divided by {@code n - correction}. */
    public Tensor var(int[] dims, boolean keepDim, double correction) {
        return Reductions.var(this, dims, keepDim, correction);
    }

    public Tensor std() {
        return Reductions.std(this, null, false, 1);
    }

    public Tensor std(int dim, boolean keepDim) {
        return Reductions.std(this, new int[] {dim}, keepDim, 1);
    }

    public Tensor std(int[] dims, boolean keepDim, double correction) {
        return Reductions.std(this, dims, keepDim, correction);
    }

    /** {@code log(sum(exp(x)))} along a dimension, computed without overflow. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        return Reductions.logsumexp(this, new int[] {dim}, keepDim);
    }

    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim);
    }

    public Tensor logSoftmax(int dim) {
        return Reductions.logSoftmax(this, dim);
    }

    // ---- linear algebra -----------------------------------------------------------------------

    /** {@code torch.matmul}: dot, matrix-vector, matrix-matrix and batched products with broadcast batch dims. */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    // ---- indexing -----------------------------------------------------------------------------

    /** The entries of {@code index} (int64, rank 1) along a dimension. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for dim 1, as {@code torch.gather}. */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** A copy of this tensor with {@code src} written at {@code index} along a dimension, as {@code torch.scatter}. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src, false, false);
    }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src, true, false);
    }

    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src, false, true);
    }

    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src, true, true);
    }

    /** The elements where {@code mask} (broadcast to this shape) is true, as a rank-1 tensor. */
    public Tensor maskedSelect(Tensor mask) {
        return Indexing.maskedSelect(this, mask);
    }

    /** Pieces of {@code splitSize} along a dimension (the last one may be smaller); views. */
    public List<Tensor> split(long splitSize, int dim) {
        return Indexing.split(this, splitSize, dim);
    }

    /** Pieces of the given sizes along a dimension; views. */
    public List<Tensor> split(long[] sizes, int dim) {
        return Indexing.split(this, sizes, dim);
    }

    /** {@code chunks} pieces of equal size (the last may be smaller) along a dimension; views. */
    public List<Tensor> chunk(int chunks, int dim) {
        return Indexing.chunk(this, chunks, dim);
    }

    // ---- printing -----------------------------------------------------------------------------

    /** As PyTorch prints tensors: {@code tensor([[1., 2.], [3., 4.]], dtype=float64)}. */
    @Override
    public String toString() {
        return isClosed() ? "tensor(<closed>, shape=" + shape + ", dtype=" + dtype + ")" : TensorFormatter.format(this);
    }
}
