package ignis.tensor;

import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A device with memory of its own, for tests of the registry's contract: its memory is off-heap
 * host memory in disguise, and it copies contiguous views only.
 */
final class FakeDeviceBackend extends NoKernelsBackend implements DeviceBackend {

    static final Device DEVICE = Device.of("fake:0");

    final List<FakeStorage> allocated = new ArrayList<>();

    static final class FakeStorage implements Storage {
        final MemorySegment segment;
        boolean released;

        FakeStorage(long bytes) {
            segment = Arena.ofAuto().allocate(Math.max(bytes, 1), 64);
        }

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
            if (released) {
                throw new IllegalStateException("released twice");
            }
            released = true;
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
        return 1;
    }

    @Override
    public Storage allocate(long bytes) {
        FakeStorage storage = new FakeStorage(bytes);
        allocated.add(storage);
        return storage;
    }

    @Override
    public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
        copyContiguous(((FakeStorage) deviceDst.storage()).segment, deviceDst, ((HostStorage) hostSrc.storage()).segment(), hostSrc);
    }

    @Override
    public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
        copyContiguous(((HostStorage) hostDst.storage()).segment(), hostDst, ((FakeStorage) deviceSrc.storage()).segment, deviceSrc);
    }

    private static void copyContiguous(MemorySegment dst, TensorView dstView, MemorySegment src, TensorView srcView) {
        if (!dstView.isContiguous() || !srcView.isContiguous() || dstView.dtype() != srcView.dtype()) {
            throw new UnsupportedOperationException("the fake device copies contiguous views of one dtype only");
        }
        int size = dstView.dtype().byteSize();
        MemorySegment.copy(src, srcView.offset() * size, dst, dstView.offset() * size, dstView.numel() * size);
    }
}
