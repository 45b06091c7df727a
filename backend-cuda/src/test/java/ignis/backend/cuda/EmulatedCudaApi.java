package ignis.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CudaApi whose kernels are the real ones of src/main/cuda compiled for the CPU
 * (src/test/emulator, built by its build.sh into target/emulator): device memory is host memory,
 * device addresses are host addresses, and a launch runs the kernel at once with the very parameter
 * buffers that JCudaApi hands cuLaunchKernel. So the conformance kit checks the kernels' semantics
 * and the Java side's argument packing on a machine without a GPU. No cuBLAS: matmul runs the own
 * kernel.
 */
final class EmulatedCudaApi implements CudaApi {

    static final Path LIBRARY = Path.of("target", "emulator", "libignis-cuda-emu.so");

    private static MethodHandle launch;

    private final Map<Long, Arena> blocks = new ConcurrentHashMap<>();
    /** The names of the kernels launched, in order. */
    final List<String> launched = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    static boolean available() {
        return Files.isRegularFile(LIBRARY);
    }

    EmulatedCudaApi() {
        synchronized (EmulatedCudaApi.class) {
            if (launch == null) {
                SymbolLookup library = SymbolLookup.libraryLookup(LIBRARY.toAbsolutePath(), Arena.global());
                launch = Linker.nativeLinker().downcallHandle(library.findOrThrow("ignis_emu_launch"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
            }
        }
    }

    @Override
    public String deviceName() {
        return "CPU emulation of the CUDA kernels";
    }

    @Override
    public long memAlloc(long bytes) {
        Arena arena = Arena.ofShared();
        long address = arena.allocate(bytes, 256).address();
        blocks.put(address, arena);
        return address;
    }

    @Override
    public void memFree(long address) {
        blocks.remove(address).close();
    }

    @Override
    public MemorySegment hostAlloc(long bytes) {
        Arena arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(bytes, 4096);
        blocks.put(segment.address(), arena);
        return segment;
    }

    @Override
    public void hostFree(MemorySegment pinned) {
        memFree(pinned.address());
    }

    private static MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        MemorySegment.copy(src, 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, dst, 0, bytes);
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes);
    }

    @Override
    public void launch(String kernel, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, KernelArgs args) {
        launched.add(kernel);
        try (Arena arena = Arena.ofConfined()) {
            List<byte[]> params = args.params();
            MemorySegment pointers = arena.allocate(ADDRESS, params.size());
            for (int i = 0; i < params.size(); i++) {
                MemorySegment param = arena.allocate(params.get(i).length, 16);
                MemorySegment.copy(MemorySegment.ofArray(params.get(i)), 0, param, 0, params.get(i).length);
                pointers.setAtIndex(ADDRESS, i, param);
            }
            int status = (int) launch.invokeExact(arena.allocateFrom(kernel), gridX, gridY, gridZ, blockX, blockY, blockZ, pointers);
            if (status != 0) {
                throw new IllegalStateException("the emulator has no kernel " + kernel);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void synchronize() {
    }

    @Override
    public String blasName() {
        return null;
    }

    @Override
    public void gemm(boolean float64, boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA,
                     long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        throw new UnsupportedOperationException("no cuBLAS in the emulator");
    }

    @Override
    public void close() {
        blocks.values().forEach(Arena::close);
        blocks.clear();
    }
}
