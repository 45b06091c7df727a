package ignis.tensor;

import ignis.tensor.spi.AutogradEngine;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.TensorOp;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.UnaryOp;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
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
    private GradFn gradFn;
    /** For a retained handle of a leaf: that leaf, where gradients accumulate. */
    private Tensor leaf;
    private List<UnaryOperator<Tensor>> hooks = List.of();

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
        return strides[Shape.indexOf(dim, dim())];
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

    /** Fails when the tensor was closed, or is STRICT and its device was lost: every operation starts here. */
    Tensor live() {
        if (handle.closed.get()) {
            throw new IllegalStateException("tensor " + shape + " " + dtype + " was closed");
        }
        Device lost = storage.lostFrom();
        if (lost != null) {
            throw new DeviceLostException("tensor " + shape + " " + dtype + " is placed STRICT on " + lost
                    + ", which was lost; its values are on cpu now: place(...) it again to use it", lost);
        }
        return this;
    }

    // ---- placement ----------------------------------------------------------------------------

    /** What happens to this tensor when devices change; shared with its views. */
    public Placement placement() {
        return storage.placement();
    }

    /**
     * Sets what happens to this tensor (and its views) when devices change. {@link Placement#FOLLOW_BEST}
     * moves it to {@link Device#best()} now; placing a STRICT tensor whose device was lost makes it usable
     * again. To place many tensors at once, use {@link Tensors#place}.
     */
    public Tensor place(Placement policy) {
        Tensors.place(policy, List.of(this));
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

    // ---- autograd -----------------------------------------------------------------------------

    /** Whether gradients flow to this tensor: a leaf marked with {@link #requiresGrad_}, or the result of a recorded op. */
    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    /** Whether this tensor was made by the user rather than recorded from an op (PyTorch's {@code is_leaf}). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The node of the autograd graph that produced this tensor, or null for a leaf. */
    public GradFn gradFn() {
        return gradFn;
    }

    void gradFn(GradFn node) {
        this.gradFn = node;
    }

    /**
     * Marks a leaf as one whose gradient {@link #backward()} accumulates in {@link #grad()}. Only
     * floating-point leaves can require gradients.
     */
    public Tensor requiresGrad_(boolean requires) {
        if (requires && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only floating-point tensors can require gradients, not " + dtype);
        }
        if (!isLeaf()) {
            throw new IllegalStateException("requiresGrad_ can only change leaf tensors; use detach() to make a leaf of a result");
        }
        this.requiresGrad = requires;
        return this;
    }

    /**
     * The leaf whose {@link #grad()} accumulates this tensor's gradient: itself, or the tensor this is
     * a {@linkplain #retain() retained} handle of. Only meaningful for a leaf.
     */
    public Tensor gradLeaf() {
        return leaf != null ? leaf : this;
    }

    /**
     * The gradient accumulated by backward passes, or null before the first one. Every retained
     * handle of a leaf shares the leaf's gradient.
     */
    public Tensor grad() {
        return gradLeaf().grad;
    }

    /**
     * Replaces the accumulated gradient (null clears it, as optimizers' zeroGrad(setToNone) does). As
     * with PyTorch's {@code .grad =}, the gradient must have this tensor's shape, dtype and device.
     */
    public void setGrad(Tensor grad) {
        if (grad != null) {
            grad.live();
            if (!grad.shape.equals(shape) || grad.dtype != dtype || !grad.device().equals(device())) {
                throw new IllegalArgumentException("setGrad: a gradient " + grad.shape + " " + grad.dtype + " on " + grad.device()
                        + " for a tensor " + shape + " " + dtype + " on " + device() + ": it must have the tensor's shape, dtype and device");
            }
        }
        gradLeaf().grad = grad;
    }

    /**
     * Adds a hook that sees (and may replace) the gradient flowing into this tensor during backward
     * passes, as PyTorch's {@code register_hook}.
     */
    public Tensor registerHook(UnaryOperator<Tensor> hook) {
        Tensor owner = isLeaf() ? gradLeaf() : this;
        List<UnaryOperator<Tensor>> next = new ArrayList<>(owner.hooks);
        next.add(hook);
        owner.hooks = List.copyOf(next);
        return this;
    }

    /** The hooks added with {@link #registerHook}, in order (a leaf's, shared by its retained handles). */
    public List<UnaryOperator<Tensor>> hooks() {
        return isLeaf() ? gradLeaf().hooks : hooks;
    }

    /** Computes the gradients of this scalar with respect to the leaves that require them. */
    public void backward() {
        backward(null, false, false);
    }

    /** Backward from a non-scalar tensor, weighted by {@code gradient} (of this tensor's shape). */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * Backward with PyTorch's options: {@code retainGraph} keeps the graph for another pass (it is
     * freed otherwise), {@code createGraph} records the backward pass itself for higher-order gradients.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        AutogradEngine engine = AutogradRegistry.engine();
        if (engine == null) {
            throw new IllegalStateException("backward(): no autograd engine is installed (install the ignis autograd bundle)");
        }
        if (!requiresGrad()) {
            throw new IllegalStateException("backward(): this tensor (shape " + shape + ") does not require grad and has no grad_fn");
        }
        engine.backward(live(), gradient, retainGraph, createGraph);
    }

    /**
     * Another handle to this very tensor (memory, view and place in the autograd graph) that no scope
     * closes: for holders that outlive scopes, such as the autograd graph or a model's parameters.
     * Close it when done.
     */
    public Tensor retain() {
        try (TensorScope.Untracked untracked = TensorScope.untracked()) {
            Tensor handle = Views.alias(live());
            handle.gradFn = gradFn;
            handle.requiresGrad = requiresGrad;
            handle.leaf = gradLeaf();
            return handle;
        }
    }

    // ---- conversions --------------------------------------------------------------------------

    /** This tensor in another dtype: a copy, or a new handle to the same memory when the dtype is already right. */
    public Tensor to(DType target) {
        return Recording.apply(TensorOp.COPY, List.of(), () -> Transfers.cast(live(), target), this);
    }

    /** This tensor on another device: a copy, or a new handle to the same memory when it is there already. */
    public Tensor to(Device target) {
        return Recording.apply(TensorOp.COPY, List.of(), () -> Transfers.toDevice(live(), target), this);
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
        return Recording.apply(TensorOp.COPY, List.of(), () -> isContiguous() ? Views.alias(live()) : Transfers.copyOf(live()), this);
    }

    /** A copy in new, contiguous memory. */
    @Override
    public Tensor clone() {
        return Recording.apply(TensorOp.COPY, List.of(), () -> Transfers.copyOf(live()), this);
    }

    /** A view of the same memory that does not require gradients. */
    public Tensor detach() {
        return Views.alias(live());
    }

    public float[] toFloatArray() {
        return DeviceGate.guarded(this, () -> Transfers.toFloatArray(live()));
    }

    public double[] toDoubleArray() {
        return DeviceGate.guarded(this, () -> Transfers.toDoubleArray(live()));
    }

    public int[] toIntArray() {
        return DeviceGate.guarded(this, () -> Transfers.toIntArray(live()));
    }

    public long[] toLongArray() {
        return DeviceGate.guarded(this, () -> Transfers.toLongArray(live()));
    }

    public boolean[] toBooleanArray() {
        return DeviceGate.guarded(this, () -> Transfers.toBooleanArray(live()));
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
        return Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.view(live(), sizes), this);
    }

    /** {@link #view} when the strides allow it, else a contiguous copy with the new shape. */
    public Tensor reshape(long... sizes) {
        return Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.reshape(live(), sizes), this);
    }

    public Tensor transpose(int dim0, int dim1) {
        int[] order = new int[Math.max(dim(), 1)];
        for (int d = 0; d < order.length; d++) {
            order[d] = d;
        }
        if (dim() > 0) {
            int a = Shape.normalizeDim(dim0, dim());
            int b = Shape.normalizeDim(dim1, dim());
            order[a] = b;
            order[b] = a;
        }
        return Recording.apply(TensorOp.PERMUTE, List.of(dim() == 0 ? new int[0] : order), () -> Views.transpose(live(), dim0, dim1), this);
    }

    /** The transpose of a matrix (rank 2); rank 0 and 1 are returned as they are. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor of rank <= 2, got shape " + shape + "; use transpose(dim0, dim1)");
        }
        return dim() < 2 ? Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.alias(live()), this) : transpose(0, 1);
    }

    public Tensor permute(int... dims) {
        return Recording.apply(TensorOp.PERMUTE, List.of(normalizedPermutation(dims)), () -> Views.permute(live(), dims), this);
    }

    /** Elements {@code start .. start+length-1} of one dimension; a negative start counts from the end. */
    public Tensor narrow(int dim, long start, long length) {
        long begin = start < 0 ? start + size(dim) : start;
        return Recording.apply(TensorOp.SLICE, List.of(dim, begin, begin + length, 1L), () -> Views.narrow(live(), dim, start, length), this);
    }

    /**
     * Python's {@code x[..., start:end:step, ...]} on one dimension: negative start and end count
     * from the end, both are clamped to the size, and step is positive.
     */
    public Tensor slice(int dim, long start, long end, long step) {
        return Recording.apply(TensorOp.SLICE, List.of(dim, start, end, step), () -> Views.slice(live(), dim, start, end, step), this);
    }

    /** The sub-tensor at {@code index} of a dimension, which disappears; a negative index counts from the end. */
    public Tensor select(int dim, long index) {
        return Recording.apply(TensorOp.SELECT, List.of(dim, index), () -> Views.select(live(), dim, index), this);
    }

    /** Repeats dimensions of size 1 (or adds leading ones) without copying; -1 keeps a size. */
    public Tensor expand(long... sizes) {
        return Recording.apply(TensorOp.EXPAND, List.of(), () -> Views.expand(live(), sizes), this);
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.shape.toArray());
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        return Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.squeeze(live(), null), this);
    }

    /** Removes the dimension if its size is 1. */
    public Tensor squeeze(int dim) {
        return Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.squeeze(live(), dim), this);
    }

    /** Inserts a dimension of size 1 at {@code dim} (from 0 to {@code dim()}; negative counts from the end). */
    public Tensor unsqueeze(int dim) {
        return Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.unsqueeze(live(), dim), this);
    }

    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Merges dimensions {@code startDim..endDim} into one: a view when possible, else a copy. */
    public Tensor flatten(int startDim, int endDim) {
        return Recording.apply(TensorOp.RESHAPE, List.of(), () -> Views.flatten(live(), startDim, endDim), this);
    }

    private int[] normalizedPermutation(int[] dims) {
        int[] order = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            order[i] = Shape.normalizeDim(dims[i], dim());
        }
        return order;
    }

    // ---- elementwise --------------------------------------------------------------------------

    public Tensor add(Tensor other) {
        return Differentiable.binary(BinaryOp.ADD, this, other);
    }

    public Tensor add(double value) {
        return Differentiable.binary(BinaryOp.ADD, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor add(long value) {
        return Differentiable.binary(BinaryOp.ADD, this, value);
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
        return Differentiable.binary(BinaryOp.SUB, this, other);
    }

    public Tensor sub(double value) {
        return Differentiable.binary(BinaryOp.SUB, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor sub(long value) {
        return Differentiable.binary(BinaryOp.SUB, this, value);
    }

    public Tensor mul(Tensor other) {
        return Differentiable.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mul(double value) {
        return Differentiable.binary(BinaryOp.MUL, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor mul(long value) {
        return Differentiable.binary(BinaryOp.MUL, this, value);
    }

    /** True division: integers divide into float32. */
    public Tensor div(Tensor other) {
        return Differentiable.binary(BinaryOp.DIV, this, other);
    }

    public Tensor div(double value) {
        return Differentiable.binary(BinaryOp.DIV, this, value);
    }

    public Tensor floorDivide(Tensor other) {
        return Differentiable.binary(BinaryOp.FLOOR_DIVIDE, this, other);
    }

    public Tensor floorDivide(double value) {
        return Differentiable.binary(BinaryOp.FLOOR_DIVIDE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor floorDivide(long value) {
        return Differentiable.binary(BinaryOp.FLOOR_DIVIDE, this, value);
    }

    /** Python's {@code %}: the result takes the divisor's sign. */
    public Tensor remainder(Tensor other) {
        return Differentiable.binary(BinaryOp.REMAINDER, this, other);
    }

    public Tensor remainder(double value) {
        return Differentiable.binary(BinaryOp.REMAINDER, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor remainder(long value) {
        return Differentiable.binary(BinaryOp.REMAINDER, this, value);
    }

    public Tensor pow(Tensor exponent) {
        return Differentiable.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor pow(double exponent) {
        return Differentiable.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor pow(long exponent) {
        return Differentiable.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return Differentiable.binary(BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Differentiable.binary(BinaryOp.MINIMUM, this, other);
    }

    public Tensor atan2(Tensor other) {
        return Differentiable.binary(BinaryOp.ATAN2, this, other);
    }

    public Tensor eq(Tensor other) {
        return Differentiable.binary(BinaryOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return Differentiable.binary(BinaryOp.EQ, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor eq(long value) {
        return Differentiable.binary(BinaryOp.EQ, this, value);
    }

    public Tensor ne(Tensor other) {
        return Differentiable.binary(BinaryOp.NE, this, other);
    }

    public Tensor ne(double value) {
        return Differentiable.binary(BinaryOp.NE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor ne(long value) {
        return Differentiable.binary(BinaryOp.NE, this, value);
    }

    public Tensor lt(Tensor other) {
        return Differentiable.binary(BinaryOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return Differentiable.binary(BinaryOp.LT, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor lt(long value) {
        return Differentiable.binary(BinaryOp.LT, this, value);
    }

    public Tensor le(Tensor other) {
        return Differentiable.binary(BinaryOp.LE, this, other);
    }

    public Tensor le(double value) {
        return Differentiable.binary(BinaryOp.LE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor le(long value) {
        return Differentiable.binary(BinaryOp.LE, this, value);
    }

    public Tensor gt(Tensor other) {
        return Differentiable.binary(BinaryOp.GT, this, other);
    }

    public Tensor gt(double value) {
        return Differentiable.binary(BinaryOp.GT, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor gt(long value) {
        return Differentiable.binary(BinaryOp.GT, this, value);
    }

    public Tensor ge(Tensor other) {
        return Differentiable.binary(BinaryOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return Differentiable.binary(BinaryOp.GE, this, value);
    }

    /** With an integer, which keeps integer tensors integral, as a Python int does. */
    public Tensor ge(long value) {
        return Differentiable.binary(BinaryOp.GE, this, value);
    }

    public Tensor logicalAnd(Tensor other) {
        return Differentiable.binary(BinaryOp.LOGICAL_AND, this, other);
    }

    public Tensor logicalOr(Tensor other) {
        return Differentiable.binary(BinaryOp.LOGICAL_OR, this, other);
    }

    public Tensor logicalXor(Tensor other) {
        return Differentiable.binary(BinaryOp.LOGICAL_XOR, this, other);
    }

    public Tensor logicalNot() {
        return Differentiable.unary(UnaryOp.LOGICAL_NOT, this);
    }

    public Tensor isnan() {
        return Differentiable.unary(UnaryOp.ISNAN, this);
    }

    public Tensor neg() {
        return Differentiable.unary(UnaryOp.NEG, this);
    }

    public Tensor abs() {
        return Differentiable.unary(UnaryOp.ABS, this);
    }

    public Tensor sign() {
        return Differentiable.unary(UnaryOp.SIGN, this);
    }

    public Tensor relu() {
        return Differentiable.unary(UnaryOp.RELU, this);
    }

    public Tensor floor() {
        return Differentiable.unary(UnaryOp.FLOOR, this);
    }

    public Tensor ceil() {
        return Differentiable.unary(UnaryOp.CEIL, this);
    }

    /** Rounds half to even, as {@code torch.round}. */
    public Tensor round() {
        return Differentiable.unary(UnaryOp.ROUND, this);
    }

    public Tensor trunc() {
        return Differentiable.unary(UnaryOp.TRUNC, this);
    }

    public Tensor exp() {
        return Differentiable.unary(UnaryOp.EXP, this);
    }

    public Tensor expm1() {
        return Differentiable.unary(UnaryOp.EXPM1, this);
    }

    public Tensor log() {
        return Differentiable.unary(UnaryOp.LOG, this);
    }

    public Tensor log1p() {
        return Differentiable.unary(UnaryOp.LOG1P, this);
    }

    public Tensor sqrt() {
        return Differentiable.unary(UnaryOp.SQRT, this);
    }

    public Tensor rsqrt() {
        return Differentiable.unary(UnaryOp.RSQRT, this);
    }

    public Tensor reciprocal() {
        return Differentiable.unary(UnaryOp.RECIPROCAL, this);
    }

    public Tensor square() {
        return mul(this);
    }

    public Tensor sin() {
        return Differentiable.unary(UnaryOp.SIN, this);
    }

    public Tensor cos() {
        return Differentiable.unary(UnaryOp.COS, this);
    }

    public Tensor tanh() {
        return Differentiable.unary(UnaryOp.TANH, this);
    }

    public Tensor sigmoid() {
        return Differentiable.unary(UnaryOp.SIGMOID, this);
    }

    public Tensor erf() {
        return Differentiable.unary(UnaryOp.ERF, this);
    }

    /** GELU with the exact normal CDF, as {@code torch.nn.functional.gelu}. */
    public Tensor gelu() {
        return Differentiable.unary(UnaryOp.GELU, this);
    }

    /** GELU with PyTorch's {@code approximate='tanh'}. */
    public Tensor geluTanh() {
        return Differentiable.unary(UnaryOp.GELU_TANH, this);
    }

    /** Clamps into [min, max]; NaN stays NaN. */
    public Tensor clamp(double min, double max) {
        return Recording.apply(TensorOp.CLAMP, List.of(min, max), () -> Elementwise.clamp(this, min, max), this);
    }

    /** Clamps into [min, max] given as tensors (broadcast); gradients flow to all three. */
    public Tensor clamp(Tensor min, Tensor max) {
        try (Tensor low = maximum(min)) {
            return low.minimum(max);
        }
    }

    public Tensor clampMin(double min) {
        return clamp(min, Double.POSITIVE_INFINITY);
    }

    public Tensor clampMax(double max) {
        return clamp(Double.NEGATIVE_INFINITY, max);
    }

    /** {@code value} where {@code mask} is true, this tensor's element elsewhere. */
    public Tensor maskedFill(Tensor mask, double value) {
        return Recording.apply(TensorOp.MASKED_FILL, List.of(mask, value), () -> Elementwise.maskedFill(this, mask, value), this);
    }

    // ---- in place -----------------------------------------------------------------------------

    public Tensor add_(Tensor other) {
        return Differentiable.binaryInPlace(BinaryOp.ADD, this, other);
    }

    public Tensor add_(double value) {
        return Differentiable.binaryInPlace(BinaryOp.ADD, this, value);
    }

    public Tensor add_(long value) {
        return Differentiable.binaryInPlace(BinaryOp.ADD, this, value);
    }

    public Tensor sub_(Tensor other) {
        return Differentiable.binaryInPlace(BinaryOp.SUB, this, other);
    }

    public Tensor sub_(double value) {
        return Differentiable.binaryInPlace(BinaryOp.SUB, this, value);
    }

    public Tensor sub_(long value) {
        return Differentiable.binaryInPlace(BinaryOp.SUB, this, value);
    }

    public Tensor mul_(Tensor other) {
        return Differentiable.binaryInPlace(BinaryOp.MUL, this, other);
    }

    public Tensor mul_(double value) {
        return Differentiable.binaryInPlace(BinaryOp.MUL, this, value);
    }

    public Tensor mul_(long value) {
        return Differentiable.binaryInPlace(BinaryOp.MUL, this, value);
    }

    public Tensor div_(Tensor other) {
        return Differentiable.binaryInPlace(BinaryOp.DIV, this, other);
    }

    public Tensor div_(double value) {
        return Differentiable.binaryInPlace(BinaryOp.DIV, this, value);
    }

    public Tensor pow_(double exponent) {
        return Differentiable.binaryInPlace(BinaryOp.POW, this, exponent);
    }

    public Tensor neg_() {
        return Differentiable.unaryInPlace(UnaryOp.NEG, this);
    }

    public Tensor abs_() {
        return Differentiable.unaryInPlace(UnaryOp.ABS, this);
    }

    public Tensor exp_() {
        return Differentiable.unaryInPlace(UnaryOp.EXP, this);
    }

    public Tensor log_() {
        return Differentiable.unaryInPlace(UnaryOp.LOG, this);
    }

    public Tensor sqrt_() {
        return Differentiable.unaryInPlace(UnaryOp.SQRT, this);
    }

    public Tensor relu_() {
        return Differentiable.unaryInPlace(UnaryOp.RELU, this);
    }

    public Tensor sigmoid_() {
        return Differentiable.unaryInPlace(UnaryOp.SIGMOID, this);
    }

    public Tensor tanh_() {
        return Differentiable.unaryInPlace(UnaryOp.TANH, this);
    }

    public Tensor clamp_(double min, double max) {
        return Recording.inPlace(this, before -> before.clamp(min, max), () -> Elementwise.clampInPlace(this, min, max));
    }

    public Tensor maskedFill_(Tensor mask, double value) {
        return Recording.inPlace(this, before -> before.maskedFill(mask, value), () -> Elementwise.maskedFillInPlace(this, mask, value));
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(double value) {
        Differentiable.requireNoGraph(this, "fill_");
        return DeviceGate.guarded(this, () -> Creation.fillInPlace(this, value));
    }

    public Tensor zero_() {
        return fill_(0);
    }

    /** Copies {@code src} into this tensor, broadcasting it and converting its dtype. */
    public Tensor copy_(Tensor src) {
        return Recording.inPlace(this, before -> Differentiable.copyOf(before, src), () -> Transfers.copyInto(live(), src), src);
    }

    /** Fills with uniform draws from [from, to) of the default generator. */
    public Tensor uniform_(double from, double to) {
        return uniform_(from, to, Generator.defaultGenerator());
    }

    /** Fills with uniform draws from [from, to) of {@code generator}. */
    public Tensor uniform_(double from, double to, Generator generator) {
        Differentiable.requireNoGraph(this, "uniform_");
        return DeviceGate.guarded(this, () -> Creation.uniformInPlace(this, from, to, generator));
    }

    /** Fills with normal draws of the default generator. */
    public Tensor normal_(double mean, double std) {
        return normal_(mean, std, Generator.defaultGenerator());
    }

    /** Fills with normal draws of {@code generator}. */
    public Tensor normal_(double mean, double std, Generator generator) {
        Differentiable.requireNoGraph(this, "normal_");
        return DeviceGate.guarded(this, () -> Creation.normalInPlace(this, mean, std, generator));
    }

    // ---- reductions ---------------------------------------------------------------------------

    /** The sum of all elements (int64 for integral and bool tensors). */
    public Tensor sum() {
        return Differentiable.sum(this, null, false);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return Differentiable.sum(this, new int[] {dim}, keepDim);
    }

    public Tensor sum(int[] dims, boolean keepDim) {
        return Differentiable.sum(this, dims, keepDim);
    }

    public Tensor prod() {
        Differentiable.requireNoGradient(this, "prod()");
        return DeviceGate.guarded(this, () -> Reductions.prod(this, null, false));
    }

    public Tensor prod(int dim, boolean keepDim) {
        Differentiable.requireNoGradient(this, "prod()");
        return DeviceGate.guarded(this, () -> Reductions.prod(this, new int[] {dim}, keepDim));
    }

    /** The mean of all elements; floating-point tensors only, as in PyTorch. */
    public Tensor mean() {
        return Differentiable.mean(this, null, false);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return Differentiable.mean(this, new int[] {dim}, keepDim);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return Differentiable.mean(this, dims, keepDim);
    }

    /** The largest element; NaN if any element is NaN. */
    public Tensor max() {
        return Differentiable.extreme(this, true, null, false);
    }

    /** The largest elements along a dimension and their indices (the first one on ties). */
    public ValuesAndIndices max(int dim, boolean keepDim) {
        return Differentiable.extremeWithIndices(this, true, dim, keepDim);
    }

    public Tensor min() {
        return Differentiable.extreme(this, false, null, false);
    }

    public ValuesAndIndices min(int dim, boolean keepDim) {
        return Differentiable.extremeWithIndices(this, false, dim, keepDim);
    }

    /** The largest elements over dimensions, as {@code torch.amax}. */
    public Tensor amax(int[] dims, boolean keepDim) {
        return Differentiable.extreme(this, true, dims, keepDim);
    }

    public Tensor amin(int[] dims, boolean keepDim) {
        return Differentiable.extreme(this, false, dims, keepDim);
    }

    /** The index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return DeviceGate.guarded(this, () -> Reductions.argExtreme(this, true, null, false));
    }

    public Tensor argmax(int dim, boolean keepDim) {
        return DeviceGate.guarded(this, () -> Reductions.argExtreme(this, true, dim, keepDim));
    }

    public Tensor argmin() {
        return DeviceGate.guarded(this, () -> Reductions.argExtreme(this, false, null, false));
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return DeviceGate.guarded(this, () -> Reductions.argExtreme(this, false, dim, keepDim));
    }

    /** The variance with Bessel's correction (correction 1), as {@code torch.var}. */
    public Tensor var() {
        return Differentiable.var(this, null, false, 1);
    }

    public Tensor var(int dim, boolean keepDim) {
        return Differentiable.var(this, new int[] {dim}, keepDim, 1);
    }

    /** The variance divided by {@code n - correction}. */
    public Tensor var(int[] dims, boolean keepDim, double correction) {
        return Differentiable.var(this, dims, keepDim, correction);
    }

    public Tensor std() {
        return std(null, false, 1);
    }

    public Tensor std(int dim, boolean keepDim) {
        return std(new int[] {dim}, keepDim, 1);
    }

    public Tensor std(int[] dims, boolean keepDim, double correction) {
        try (Tensor variance = Differentiable.var(this, dims, keepDim, correction)) {
            return variance.sqrt();
        }
    }

    /** {@code log(sum(exp(x)))} along a dimension, computed without overflow. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        return Differentiable.logsumexp(this, new int[] {dim}, keepDim);
    }

    public Tensor softmax(int dim) {
        return Differentiable.softmax(this, dim, false);
    }

    public Tensor logSoftmax(int dim) {
        return Differentiable.softmax(this, dim, true);
    }

    // ---- linear algebra -----------------------------------------------------------------------

    /** {@code torch.matmul}: dot, matrix-vector, matrix-matrix and batched products with broadcast batch dims. */
    public Tensor matmul(Tensor other) {
        return Recording.apply(TensorOp.MATMUL, List.of(), () -> LinearAlgebra.matmul(this, other), this, other);
    }

    // ---- indexing -----------------------------------------------------------------------------

    /** The entries of {@code index} (int64, rank 1) along a dimension. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Recording.apply(TensorOp.INDEX_SELECT, List.of(dim, index), () -> Indexing.indexSelect(this, dim, index), this);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for dim 1, as {@code torch.gather}. */
    public Tensor gather(int dim, Tensor index) {
        return Recording.apply(TensorOp.GATHER, List.of(dim, index), () -> Indexing.gather(this, dim, index), this);
    }

    /** A copy of this tensor with {@code src} written at {@code index} along a dimension, as {@code torch.scatter}. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Recording.apply(TensorOp.SCATTER, List.of(dim, index, false), () -> Indexing.scatter(this, dim, index, src, false, false), this, src);
    }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Recording.apply(TensorOp.SCATTER, List.of(dim, index, true), () -> Indexing.scatter(this, dim, index, src, true, false), this, src);
    }

    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        return Recording.inPlace(this, before -> before.scatter(dim, index, src), () -> Indexing.scatter(this, dim, index, src, false, true), src);
    }

    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        return Recording.inPlace(this, before -> before.scatterAdd(dim, index, src), () -> Indexing.scatter(this, dim, index, src, true, true), src);
    }

    /** The elements where {@code mask} (broadcast to this shape) is true, as a rank-1 tensor. */
    public Tensor maskedSelect(Tensor mask) {
        return Recording.apply(TensorOp.MASKED_SELECT, List.of(mask), () -> Indexing.maskedSelect(this, mask), this);
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
        if (isClosed()) {
            return "tensor(<closed>, shape=" + shape + ", dtype=" + dtype + ")";
        }
        try (GradMode.Scope printing = GradMode.noGrad()) {
            return TensorFormatter.format(this);
        }
    }
}
