package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.BackendRegistry;
import ignis.tensor.DType;
import ignis.tensor.Device;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.HostStorage;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CudaBackend's plumbing over {@link FakeCudaApi}, which runs everywhere: transfers through pinned
 * staging, which kernels it queues, the registry's evacuation when it leaves, and closing.
 * The kernels themselves run only on a GPU ({@link CudaBackendConformanceTest}).
 */
class FakeDeviceBackendTest {

    private final FakeCudaApi api = new FakeCudaApi();
    private final CudaBackend backend = new CudaBackend(0, api);
    private final DeviceToItself deviceToItself = new DeviceToItself();

    @AfterEach
    void close() {
        backend.close();
        deviceToItself.close();
    }

    private static HostStorage host(float... values) {
        MemorySegment segment = Arena.ofAuto().allocate(4L * Math.max(1, values.length), 64);
        MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
        return new Host(segment);
    }

    private record Host(MemorySegment segment) implements HostStorage {
        @Override
        public void release() {
        }
    }

    private static float[] floats(HostStorage storage, int n) {
        return storage.segment().asSlice(0, 4L * n).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
    }

    @Test
    void aDenseRoundTripIsTwoCopiesThroughPinnedMemoryAndNoKernel() {
        HostStorage in = host(1, 2, 3, 4, 5, 6);
        HostStorage out = host(new float[6]);
        Storage device = backend.allocate(24);
        TensorView flat = new TensorView(device, DType.FLOAT32, 0, new long[] {6}, new long[] {1});
        backend.copyFromHost(flat, new TensorView(in, DType.FLOAT32, 0, new long[] {6}, new long[] {1}));
        backend.copyToHost(new TensorView(out, DType.FLOAT32, 0, new long[] {6}, new long[] {1}), flat);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, floats(out, 6));
        assertEquals(List.of(), api.launches);
        assertEquals(1, api.hostAllocs, "one staging buffer, reused");
        device.release();
    }

    @Test
    void aStridedHostViewIsPackedOnTheHostAndUnpackedIntoStrides() {
        HostStorage in = host(1, 2, 3, 4, 5, 6);
        Storage device = backend.allocate(24);
        // The transpose of [[1, 2, 3], [4, 5, 6]]: [[1, 4], [2, 5], [3, 6]].
        backend.copyFromHost(new TensorView(device, DType.FLOAT32, 0, new long[] {3, 2}, new long[] {2, 1}),
                new TensorView(in, DType.FLOAT32, 0, new long[] {3, 2}, new long[] {1, 3}));
        HostStorage out = host(new float[8]);
        // Back into every other element from element 1 on.
        backend.copyToHost(new TensorView(out, DType.FLOAT32, 1, new long[] {3}, new long[] {2}),
                new TensorView(device, DType.FLOAT32, 0, new long[] {3}, new long[] {1}));
        assertArrayEquals(new float[] {0, 1, 0, 4, 0, 2, 0, 0}, floats(out, 8));
        assertEquals(List.of(), api.launches, "same dtype and a dense device side: no kernel");
        device.release();
    }

    @Test
    void conversionsAndStridedDeviceViewsGoThroughTheCopyKernel() {
        Storage device = backend.allocate(48);
        backend.copyFromHost(new TensorView(device, DType.FLOAT64, 0, new long[] {2}, new long[] {1}),
                new TensorView(host(1, 2), DType.FLOAT32, 0, new long[] {2}, new long[] {1}));
        backend.copyToHost(new TensorView(host(0, 0), DType.FLOAT32, 0, new long[] {2}, new long[] {1}),
                new TensorView(device, DType.FLOAT32, 0, new long[] {2}, new long[] {2}));
        assertEquals(List.of("ignis_copy", "ignis_copy"), api.launches);
        assertEquals(CachingAllocator.rounded(48) + CachingAllocator.rounded(Integer.BYTES), backend.allocator().inUseBytes(),
                "the temporaries went back to the cache");
        device.release();
    }

    @Test
    void integerDivisionChecksTheErrorWordSynchronously() {
        Storage device = backend.allocate(24);
        TensorView v = new TensorView(device, DType.INT64, 0, new long[] {3}, new long[] {1});
        int before = api.synchronizations;
        backend.binary(BinaryOp.FLOOR_DIVIDE, v, v, v);
        assertEquals(List.of("ignis_fill", "ignis_binary"), api.launches);
        assertTrue(api.synchronizations > before, "the error word was read back");
        api.launches.clear();
        backend.binary(BinaryOp.ADD, v, v, v);
        assertEquals(List.of("ignis_binary"), api.launches, "other ops stay asynchronous");
        device.release();
    }

    @Test
    void viewsOfOtherMemoryAreRefused() {
        TensorView hostView = new TensorView(host(1), DType.FLOAT32, 0, new long[] {1}, new long[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.fill(hostView, 0));
        assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
    }

    @Test
    void leavingTheRegistryMovesItsTensorsToCpuThenClosingFreesEverything() {
        Tensor onDevice;
        Tensor transposed;
        try (BackendRegistry.Registration registration = BackendRegistry.register(backend, "test");
             Tensor host = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            onDevice = host.to(backend.device());
            transposed = onDevice.transpose(0, 1);
            assertEquals(new Device("cuda", 0), onDevice.device());
            registration.close();
            assertEquals(Device.CPU, onDevice.device());
            assertEquals(Device.CPU, transposed.device());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, onDevice.toFloatArray());
            assertEquals(0, Tensors.liveBytes(backend.device()));
        }
        onDevice.close();
        transposed.close();
        backend.close();
        assertTrue(api.closed);
        assertTrue(api.device.isEmpty(), "every block went back to the driver");
        assertTrue(api.pinned.isEmpty(), "and the staging buffer too");
        assertThrows(IllegalStateException.class, () -> backend.allocate(4));
    }

    @Test
    void theOptionalKernelsArePresent() {
        assertTrue(backend.optional(ignis.tensor.spi.Conv2dKernels.class) != null);
        assertTrue(backend.optional(ignis.tensor.spi.Pool2dKernels.class) != null);
        assertTrue(backend.optional(ignis.tensor.spi.SoftmaxKernels.class) != null);
        assertFalse(backend.optional(String.class) != null);
    }
}
