package ignis.runtime.commands;

import ignis.tensor.Device;
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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A device with memory of its own that runs no kernels: its memory is off-heap host memory in
 * disguise, and it copies contiguous views only. Enough for tensors to move to it and be evacuated.
 */
final class FakeDeviceBackend implements DeviceBackend {

    static final Device DEVICE = Device.of("fake:0");

    private final int ranking;

    FakeDeviceBackend(int ranking) {
        this.ranking = ranking;
    }

    private record FakeStorage(MemorySegment segment) implements Storage {
        @Override
        public Device device() {
            return DEVICE;
        }

        @Override
        public long byteSize() {
            return segment.byteSize();
        }

        @Override
        public void release() {
        }
    }

    @Override
    public String name() {
        return "fake-device";
    }

    @Override
    public Device device() {
        return DEVICE;
    }

    @Override
    public int ranking() {
        return ranking;
    }

    @Override
    public Storage allocate(long bytes) {
        return new FakeStorage(Arena.ofAuto().allocate(Math.max(bytes, 1), 64));
    }

    @Override
    public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
        copyContiguous(((FakeStorage) deviceDst.storage()).segment(), deviceDst, ((HostStorage) hostSrc.storage()).segment(), hostSrc);
    }

    @Override
    public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
        copyContiguous(((HostStorage) hostDst.storage()).segment(), hostDst, ((FakeStorage) deviceSrc.storage()).segment(), deviceSrc);
    }

    private static void copyContiguous(MemorySegment dst, TensorView dstView, MemorySegment src, TensorView srcView) {
        if (!dstView.isContiguous() || !srcView.isContiguous() || dstView.dtype() != srcView.dtype()) {
            throw new UnsupportedOperationException("the fake device copies contiguous views of one dtype only");
        }
        int size = dstView.dtype().byteSize();
        MemorySegment.copy(src, srcView.offset() * size, dst, dstView.offset() * size, dstView.numel() * size);
    }

    private static UnsupportedOperationException noKernels() {
        return new UnsupportedOperationException("the fake device runs no kernels");
    }

    @Override
    public void copy(TensorView dst, TensorView src) {
        throw noKernels();
    }

    @Override
    public void fill(TensorView out, long bits) {
        throw noKernels();
    }

    @Override
    public void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset) {
        throw noKernels();
    }

    @Override
    public void unary(UnaryOp op, TensorView out, TensorView in) {
        throw noKernels();
    }

    @Override
    public void binary(BinaryOp op, TensorView out, TensorView a, TensorView b) {
        throw noKernels();
    }

    @Override
    public void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c) {
        throw noKernels();
    }

    @Override
    public void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes) {
        throw noKernels();
    }

    @Override
    public void matmul(TensorView out, TensorView a, TensorView b) {
        throw noKernels();
    }

    @Override
    public void gather(TensorView out, TensorView in, int dim, TensorView index) {
        throw noKernels();
    }

    @Override
    public void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src) {
        throw noKernels();
    }
}
