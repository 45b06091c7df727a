package ignis.tck.api;

import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.ReduceOp;
import ignis.tensor.spi.ScatterMode;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import ignis.tensor.spi.TernaryOp;
import ignis.tensor.spi.UnaryOp;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend under test as the kit registers it: every call goes to the backend under test, the
 * ranking is the highest possible so that the registry picks it over any other backend of its
 * device, and the kernel calls are counted so that a test can see that the kernels really ran there.
 */
class KitBackend implements Backend {

    /** Outranks every real backend, whatever rankings they choose. */
    static final int RANKING = Integer.MAX_VALUE;

    final Backend delegate;
    private final AtomicLong kernelCalls = new AtomicLong();

    KitBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** A wrapper of the right kind: a device backend stays a device backend, so that its memory keeps working. */
    static KitBackend wrap(Backend backend) {
        return backend instanceof DeviceBackend device ? new KitDeviceBackend(device) : new KitBackend(backend);
    }

    /** The number of kernels (required SPI methods) called so far. */
    long kernelCalls() {
        return kernelCalls.get();
    }

    final void count() {
        kernelCalls.incrementAndGet();
    }

    @Override
    public String name() {
        return "tck(" + delegate.name() + ")";
    }

    @Override
    public Device device() {
        return delegate.device();
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        count();
        delegate.copy(dst, src);
    }

    @Override
    public void fill(TensorView out, long bits) {
        count();
        delegate.fill(out, bits);
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        count();
        delegate.random(distribution, out, a, b, seed, offset);
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        count();
        delegate.unary(op, out, in);
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        count();
        delegate.binary(op, out, a, b);
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        count();
        delegate.ternary(op, out, a, b, c);
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        count();
        delegate.reduce(op, out, in, axes);
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        count();
        delegate.matmul(out, a, b);
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        count();
        delegate.gather(out, in, dim, index);
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        count();
        delegate.scatter(mode, out, dim, index, src);
    }

    @Override
    public void synchronize() {
        delegate.synchronize();
    }

    @Override
    public <T> T optional(Class<T> kernels) {
        return delegate.optional(kernels);
    }

    @Override
    public String toString() {
        return "KitBackend[" + delegate + "]";
    }

    /** The wrapper of a backend that owns device memory. */
    static final class KitDeviceBackend extends KitBackend implements DeviceBackend {

        private final DeviceBackend device;

        KitDeviceBackend(DeviceBackend device) {
            super(device);
            this.device = device;
        }

        @Override
        public Storage allocate(long bytes) {
            return device.allocate(bytes);
        }

        @Override
        public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
            count();
            device.copyFromHost(deviceDst, hostSrc);
        }

        @Override
        public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
            count();
            device.copyToHost(hostDst, deviceSrc);
        }
    }
}
