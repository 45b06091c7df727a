package ignis.backend.cuda;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The backend of one NVIDIA GPU, {@code cuda:N}: device memory from a {@link CachingAllocator}, every
 * kernel queued on the device's one stream (so calls return before the GPU has run them, and
 * {@link #synchronize} and every copy to the host wait for them), transfers staged through a pinned
 * host buffer, and the kernels of {@code src/main/cuda} (nvcc-built fatbins loaded with
 * {@code cuModuleLoadData}); GEMM through cuBLAS where the layout allows it, else Ignis's own tiled
 * kernel. All native calls go through {@link CudaApi}.
 *
 * <p>Inside OSGi, {@link CudaDevices} registers one per GPU. Off OSGi, {@link java.util.ServiceLoader}
 * creates {@code cuda:0} with the public constructor, which throws (and the registry skips it) when
 * the machine has no usable GPU.
 */
@ServiceProvider(value = Backend.class, resolution = Resolution.OPTIONAL)
public final class CudaBackend implements DeviceBackend, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());

    /** Above the cpu backends (cpu-simd ranks 100): a present GPU is the best device. */
    static final int RANKING = 300;

    static final int THREADS = 256;
    private static final int MAX_BLOCKS = 1 << 16;
    private static final int MAX_GRID_YZ = 65535;
    private static final int TILE = 16;
    private static final long MIN_STAGING = 1L << 20;

    private final Device device;
    private final CudaApi api;
    private final CachingAllocator allocator;
    private final CudaNeuralKernels neural = new CudaNeuralKernels(this);
    private final CudaOptimizerKernels optimizer = new CudaOptimizerKernels(this);
    private final CudaStorage errorWord;
    private final Object transfers = new Object();
    private MemorySegment staging; // guarded by transfers
    private boolean stagingInFlight; // guarded by transfers: an async copy may still read it
    private volatile boolean closed;

    /** {@code cuda:0}, for {@link java.util.ServiceLoader}. @throws IllegalStateException saying why the machine has no usable GPU */
    public CudaBackend() {
        this(0, open(0));
    }

    CudaBackend(int ordinal, CudaApi api) {
        this.device = new Device("cuda", ordinal);
        this.api = api;
        this.allocator = new CachingAllocator(api, device.toString());
        this.errorWord = (CudaStorage) allocate(Integer.BYTES);
        LOG.log(Level.DEBUG, () -> device + ": " + api.deviceName() + ", GEMM by "
                + (api.blasName() == null ? "Ignis's own kernel" : api.blasName()));
    }

    static CudaApi open(int ordinal) {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.available()) {
            throw new IllegalStateException("backend-cuda does not register: " + probe.reason());
        }
        if (ordinal >= probe.devices()) {
            throw new IllegalArgumentException("cuda:" + ordinal + " does not exist: this machine has " + probe.devices() + " GPU(s)");
        }
        return new JCudaApi(ordinal, probe.images());
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    CudaApi api() {
        return api;
    }

    CachingAllocator allocator() {
        return allocator;
    }

    // ---- memory and transfers ------------------------------------------------------------------

    @Override
    public Storage allocate(long bytes) {
        live();
        return new CudaStorage(device, allocator, allocator.allocate(bytes), bytes);
    }

    @Override
    public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
        live();
        MemorySegment host = hostSegment(hostSrc);
        int size = hostSrc.dtype().byteSize();
        long bytes = hostSrc.numel() * size;
        if (bytes == 0) {
            return;
        }
        synchronized (transfers) {
            MemorySegment stage = staging(bytes);
            HostLayout.pack(host, hostSrc, stage);
            if (deviceDst.dtype() == hostSrc.dtype() && deviceDst.isContiguous()) {
                api.copyHostToDevice(address(deviceDst) + deviceDst.offset() * size, stage, bytes);
            } else {
                // Upload as it is, then convert and scatter into the strides on the device.
                CudaStorage temp = (CudaStorage) allocate(bytes);
                api.copyHostToDevice(temp.address(), stage, bytes);
                copy(deviceDst, dense(temp, hostSrc.dtype(), deviceDst.shape()));
                temp.release(); // reused only by later work on the same stream
            }
            stagingInFlight = true;
        }
    }

    @Override
    public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
        live();
        MemorySegment host = hostSegment(hostDst);
        int size = hostDst.dtype().byteSize();
        long bytes = hostDst.numel() * size;
        if (bytes == 0) {
            return;
        }
        synchronized (transfers) {
            MemorySegment stage = staging(bytes);
            if (deviceSrc.dtype() == hostDst.dtype() && deviceSrc.isContiguous()) {
                api.copyDeviceToHost(stage, address(deviceSrc) + deviceSrc.offset() * size, bytes);
            } else {
                // Convert and gather into a dense block of the host's dtype on the device, then download.
                CudaStorage temp = (CudaStorage) allocate(bytes);
                copy(dense(temp, hostDst.dtype(), deviceSrc.shape()), deviceSrc);
                api.copyDeviceToHost(stage, temp.address(), bytes);
                temp.release();
            }
            api.synchronize();
            stagingInFlight = false;
            HostLayout.unpack(stage, hostDst, host);
        }
    }

    /** The pinned staging buffer, at least {@code bytes} long and no longer read by an earlier copy. */
    private MemorySegment staging(long bytes) {
        if (stagingInFlight) {
            api.synchronize();
            stagingInFlight = false;
        }
        if (staging == null || staging.byteSize() < bytes) {
            if (staging != null) {
                api.hostFree(staging);
                staging = null;
            }
            staging = api.hostAlloc(Math.max(MIN_STAGING, Long.highestOneBit(Math.max(bytes, 1) - 1) << 1));
        }
        return staging;
    }

    private static MemorySegment hostSegment(TensorView view) {
        if (!(view.storage() instanceof HostStorage host)) {
            throw new IllegalArgumentException("expected a host view, got " + view);
        }
        return host.segment();
    }

    static TensorView dense(Storage storage, DType dtype, long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return new TensorView(storage, dtype, 0, shape, strides);
    }

    // ---- the required kernels ------------------------------------------------------------------

    @Override
    public void copy(TensorView dstView, TensorView srcView) {
        TensorView[] v = Coalesce.views(dstView, srcView);
        TensorView dst = v[0];
        TensorView src = v[1];
        long n = dst.numel();
        launch1d("ignis_copy", n, args().addView(dst).addInt(code(dst)).addPointer(address(dst))
                .addView(src).addInt(code(src)).addPointer(address(src)).addLong(n));
    }

    @Override
    public void fill(TensorView outView, long bits) {
        TensorView out = Coalesce.views(outView)[0];
        long n = out.numel();
        launch1d("ignis_fill", n, args().addView(out).addInt(code(out)).addPointer(address(out)).addLong(bits).addLong(n));
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        DType type = out.dtype();
        if (distribution != RandomDistribution.INTEGER && type != DType.FLOAT32 && type != DType.FLOAT64) {
            throw new IllegalArgumentException(distribution + " draws into float32 or float64, not " + type);
        }
        out = Coalesce.views(out)[0]; // row-major order, and so the counters, unchanged
        long n = out.numel();
        launch1d("ignis_random", n, args().addInt(distribution.ordinal()).addView(out).addInt(code(out)).addPointer(address(out))
                .addDouble(a).addDouble(b).addLong((long) a).addLong((long) b).addLong(seed).addLong(offset).addLong(n));
    }

    @Override
    public void unary(UnaryOp op, TensorView outView, TensorView inView) {
        TensorView[] v = Coalesce.inMemoryOrder(outView, inView);
        TensorView out = v[0];
        TensorView in = v[1];
        long n = out.numel();
        launch1d("ignis_unary", n, args().addInt(op.ordinal()).addView(out).addInt(code(out)).addPointer(address(out))
                .addView(in).addInt(code(in)).addPointer(address(in)).addLong(n));
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        boolean checked = !a.dtype().isFloatingPoint() && !b.dtype().isFloatingPoint()
                && (op == BinaryOp.FLOOR_DIVIDE || op == BinaryOp.REMAINDER || op == BinaryOp.POW);
        if (!checked) {
            launchBinary(op, out, a, b);
            return;
        }
        // Integer division by zero and negative powers throw, as on the cpu: the kernel flags them in
        // the error word, read back at once. One such op at a time, since they share the word.
        int error;
        synchronized (errorWord) {
            fill(errorView(), 0);
            launchBinary(op, out, a, b);
            error = readErrorWord();
        }
        if (error == 1) {
            throw new ArithmeticException("integer division by zero in " + op + " on " + device);
        }
        if (error == 2) {
            throw new ArithmeticException("Integers to negative integer powers are not allowed (" + op + " on " + device + ")");
        }
    }

    private void launchBinary(BinaryOp op, TensorView outView, TensorView aView, TensorView bView) {
        TensorView[] v = Coalesce.inMemoryOrder(outView, aView, bView);
        TensorView out = v[0];
        TensorView a = v[1];
        TensorView b = v[2];
        long n = out.numel();
        launch1d("ignis_binary", n, args().addInt(op.ordinal()).addView(out).addInt(code(out)).addPointer(address(out))
                .addView(a).addInt(code(a)).addPointer(address(a)).addView(b).addInt(code(b)).addPointer(address(b))
                .addPointer(errorWord.address()).addLong(n));
    }

    private TensorView errorView() {
        return new TensorView(errorWord, DType.INT32, 0, new long[] {1}, new long[] {1});
    }

    private int readErrorWord() {
        synchronized (transfers) {
            MemorySegment stage = staging(Integer.BYTES);
            api.copyDeviceToHost(stage, errorWord.address(), Integer.BYTES);
            api.synchronize();
            return stage.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        }
    }

    @Override
    public void ternary(TernaryOp op, TensorView outView, TensorView aView, TensorView bView, TensorView cView) {
        TensorView[] v = Coalesce.inMemoryOrder(outView, aView, bView, cView);
        TensorView out = v[0];
        TensorView a = v[1];
        TensorView b = v[2];
        TensorView c = v[3];
        long n = out.numel();
        launch1d("ignis_ternary", n, args().addInt(op.ordinal()).addView(out).addInt(code(out)).addPointer(address(out))
                .addView(a).addInt(code(a)).addPointer(address(a)).addView(b).addInt(code(b)).addPointer(address(b))
                .addView(c).addInt(code(c)).addPointer(address(c)).addLong(n));
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        long outputs = out.numel();
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            if (axes.length != 1) {
                throw new IllegalArgumentException(op + " reduces exactly one axis, not " + Arrays.toString(axes));
            }
            launch1d("ignis_arg_extreme", outputs, args().addInt(op == ReduceOp.ARGMAX ? 1 : 0).addView(out).addPointer(address(out))
                    .addView(in).addInt(code(in)).addPointer(address(in))
                    .addLong(in.shape()[axes[0]]).addLong(in.strides()[axes[0]]).addLong(outputs));
            return;
        }
        long[] block = new long[in.rank()];
        Arrays.fill(block, 1);
        long blockSize = 1;
        for (int axis : axes) {
            block[axis] = in.shape()[axis];
            blockSize *= block[axis];
        }
        if (outputs < FEW_OUTPUTS && blockSize >= 2 * PART_SIZE && in.rank() < KernelArgs.MAX_RANK) {
            reduceInParts(op, out, in, block, outputs, blockSize);
            return;
        }
        KernelArgs args = args().addInt(op.ordinal()).addView(out).addInt(code(out)).addPointer(address(out))
                .addView(in).addInt(code(in)).addPointer(address(in));
        args.params().add(KernelArgs.view(0, block, new long[block.length]));
        args.addLong(outputs).addLong(blockSize);
        api.launch("ignis_reduce", (int) Math.min(outputs, MAX_BLOCKS), 1, 1, THREADS, 1, 1, args);
    }

    /** Below this many outputs, large reduced blocks are cut into parts, so that more than a few of the GPU's multiprocessors work. */
    static final long FEW_OUTPUTS = 256;
    /** The elements one thread block folds in the first pass of a reduction in parts. */
    static final long PART_SIZE = 8192;

    /**
     * A reduction with few outputs in two passes: runs of {@link #PART_SIZE} elements of each block folded
     * into partial results (in double, or int64 for integers), which are then folded in order into out,
     * so that the result does not depend on how the blocks are scheduled.
     */
    private void reduceInParts(ReduceOp op, TensorView out, TensorView in, long[] block, long outputs, long blockSize) {
        long parts = Math.ceilDiv(blockSize, PART_SIZE);
        DType partialType = in.dtype().isFloatingPoint() ? DType.FLOAT64 : DType.INT64;
        Storage partials = allocate(Math.multiplyExact(outputs * parts, (long) partialType.byteSize()));
        try {
            KernelArgs first = args().addInt(op.ordinal()).addView(out).addPointer(((CudaStorage) partials).address())
                    .addView(in).addInt(code(in)).addPointer(address(in));
            first.params().add(KernelArgs.view(0, block, new long[block.length]));
            first.addLong(outputs).addLong(blockSize).addLong(parts).addLong(PART_SIZE);
            api.launch("ignis_reduce_parts", (int) Math.min(outputs * parts, MAX_BLOCKS), 1, 1, THREADS, 1, 1, first);
            // out with a trailing axis of 1, the partials as [out's shape..., parts]
            int r = out.rank();
            long[] outShape = Arrays.copyOf(out.shape(), r + 1);
            long[] outStrides = Arrays.copyOf(out.strides(), r + 1);
            outShape[r] = 1;
            long[] partShape = Arrays.copyOf(out.shape(), r + 1);
            partShape[r] = parts;
            long[] partBlock = new long[r + 1];
            Arrays.fill(partBlock, 1);
            partBlock[r] = parts;
            TensorView lastOut = new TensorView(out.storage(), out.dtype(), out.offset(), outShape, outStrides);
            TensorView partialView = dense(partials, partialType, partShape);
            KernelArgs second = args().addInt(op.ordinal()).addView(lastOut).addInt(code(lastOut)).addPointer(address(lastOut))
                    .addView(partialView).addInt(code(partialView)).addPointer(address(partialView));
            second.params().add(KernelArgs.view(0, partBlock, new long[partBlock.length]));
            second.addLong(outputs).addLong(parts);
            api.launch("ignis_reduce", (int) Math.min(outputs, MAX_BLOCKS), 1, 1, THREADS, 1, 1, second);
        } finally {
            partials.release();
        }
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        if (Gemm.withBlas(api, out, a, b)) {
            return;
        }
        int r = out.rank();
        long m = out.shape()[r - 2];
        long n = out.shape()[r - 1];
        long batches = out.numel() / Math.max(1, m * n);
        if (m * n == 0) {
            return;
        }
        int gridX = Math.toIntExact(Math.ceilDiv(n, TILE));
        int gridY = Math.toIntExact(Math.ceilDiv(m, TILE));
        if (gridY > MAX_GRID_YZ) {
            throw new UnsupportedOperationException("matmul on " + device + ": " + m + " rows exceed the kernel's grid");
        }
        for (long base = 0; base < batches; base += MAX_GRID_YZ) {
            int gridZ = (int) Math.min(MAX_GRID_YZ, batches - base);
            api.launch("ignis_matmul", gridX, gridY, gridZ, TILE, TILE, 1, args().addView(out).addInt(code(out)).addPointer(address(out))
                    .addView(a).addPointer(address(a)).addView(b).addPointer(address(b)).addLong(base));
        }
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        long n = out.numel();
        launch1d("ignis_gather", n, args().addView(out).addInt(code(out)).addPointer(address(out))
                .addView(in).addPointer(address(in)).addInt(dim).addView(index).addPointer(address(index)).addLong(n));
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        long n = index.numel();
        KernelArgs args = args().addView(out).addInt(code(out)).addPointer(address(out)).addInt(dim)
                .addView(index).addPointer(address(index)).addView(src);
        if (mode == ScatterMode.SET) {
            launch1d("ignis_scatter_set", n, args.addPointer(address(src)).addLong(n));
        } else {
            launch1d("ignis_scatter_add", n, args.addInt(code(src)).addPointer(address(src)).addLong(n));
        }
    }

    @Override
    public void synchronize() {
        live();
        api.synchronize();
    }

    @Override
    public <T> T optional(Class<T> kernels) {
        if (kernels.isInstance(neural)) {
            return kernels.cast(neural);
        }
        return kernels.isInstance(optimizer) ? kernels.cast(optimizer) : null;
    }

    // ---- plumbing ------------------------------------------------------------------------------

    KernelArgs args() {
        live();
        return new KernelArgs();
    }

    void launch1d(String kernel, long n, KernelArgs args) {
        int blocks = (int) Math.max(1, Math.min(Math.ceilDiv(n, THREADS), MAX_BLOCKS));
        api.launch(kernel, blocks, 1, 1, THREADS, 1, 1, args);
    }

    /** The device address of a view's storage (its element 0; the kernels add the view's offset). */
    long address(TensorView view) {
        if (!(view.storage() instanceof CudaStorage storage) || !storage.device().equals(device)) {
            throw new IllegalArgumentException(device + " kernels take views of " + device + " memory, got " + view);
        }
        return storage.address();
    }

    static int code(TensorView view) {
        return view.dtype().ordinal();
    }

    private void live() {
        if (closed) {
            throw new IllegalStateException(device + " (backend-cuda) is closed");
        }
    }

    /**
     * Waits for the device, returns every cached block and the staging buffer, and closes the
     * context. Called after the backend left the registry, which moved its tensors to cpu first.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            api.synchronize();
        } finally {
            closed = true;
            synchronized (transfers) {
                if (staging != null) {
                    api.hostFree(staging);
                    staging = null;
                }
            }
            errorWord.release();
            long leaked = allocator.inUseBytes();
            allocator.emptyCache();
            if (leaked > 0) {
                LOG.log(Level.WARNING, device + " closes with " + leaked + " bytes still held by storages: they are lost");
            }
            api.close();
        }
    }

    @Override
    public String toString() {
        return "CudaBackend[" + device + ", " + api.deviceName() + ", ranking " + RANKING + "]";
    }
}
