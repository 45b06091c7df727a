package ignis.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * {@link CudaApi} on one GPU through JCuda's driver API (exceptions enabled: a failing call throws
 * {@link CudaException} naming the CUresult), with the device's primary context, one non-blocking
 * stream, the packaged kernel modules loaded with {@code cuModuleLoadData}, and cuBLAS through
 * {@link Cublas} when the machine has it. Only {@link CudaProbe} creates it, after the driver
 * library loaded and {@code cuInit} succeeded.
 */
final class JCudaApi implements CudaApi {

    /** JCuda keeps a pointer's address in a protected field of NativePointerObject: read once, reflectively. */
    private static final Method NATIVE_POINTER;

    static {
        try {
            NATIVE_POINTER = NativePointerObject.class.getDeclaredMethod("getNativePointer");
            NATIVE_POINTER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<String, CUfunction> functions = new ConcurrentHashMap<>();
    private final Map<Long, Pointer> pinned = new ConcurrentHashMap<>();
    private final String name;
    private final Cublas cublas;

    JCudaApi(int ordinal, List<byte[]> kernelImages) {
        this.ordinal = ordinal;
        JCudaDriver.setExceptionsEnabled(true);
        cuDeviceGet(device, ordinal);
        byte[] nameBytes = new byte[256];
        cuDeviceGetName(nameBytes, nameBytes.length, device);
        int end = 0;
        while (end < nameBytes.length && nameBytes[end] != 0) {
            end++;
        }
        name = new String(nameBytes, 0, end, StandardCharsets.UTF_8);
        cuDevicePrimaryCtxRetain(context, device);
        try {
            cuCtxSetCurrent(context);
            cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
            for (byte[] image : kernelImages) {
                CUmodule module = new CUmodule();
                cuModuleLoadData(module, image);
                modules.add(module);
            }
            cublas = Cublas.open(address(stream));
        } catch (RuntimeException | Error e) {
            releaseQuietly(e);
            throw e;
        }
    }

    private void releaseQuietly(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void bind() {
        cuCtxSetCurrent(context);
    }

    @Override
    public String deviceName() {
        return name;
    }

    @Override
    public long memAlloc(long bytes) {
        bind();
        CUdeviceptr pointer = new CUdeviceptr();
        try {
            cuMemAlloc(pointer, bytes);
        } catch (CudaException e) {
            if (e.getMessage() != null && e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                return 0;
            }
            throw e;
        }
        return address(pointer);
    }

    @Override
    public void memFree(long address) {
        bind();
        cuMemFree(device(address));
    }

    @Override
    public MemorySegment hostAlloc(long bytes) {
        bind();
        Pointer pointer = new Pointer();
        cuMemAllocHost(pointer, bytes);
        MemorySegment segment = MemorySegment.ofBuffer(pointer.getByteBuffer(0, bytes));
        pinned.put(segment.address(), pointer);
        return segment;
    }

    @Override
    public void hostFree(MemorySegment segment) {
        Pointer pointer = pinned.remove(segment.address());
        if (pointer == null) {
            throw new IllegalArgumentException("not pinned memory of " + this + ": " + segment);
        }
        bind();
        cuMemFreeHost(pointer);
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        bind();
        cuMemcpyHtoDAsync(device(dst), host(src), bytes, stream);
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        bind();
        cuMemcpyDtoHAsync(host(dst), device(src), bytes, stream);
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        bind();
        cuMemcpyDtoDAsync(device(dst), device(src), bytes, stream);
    }

    @Override
    public void launch(String kernel, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, KernelArgs args) {
        bind();
        List<byte[]> params = args.params();
        Pointer[] pointers = new Pointer[params.size()];
        for (int i = 0; i < pointers.length; i++) {
            pointers[i] = Pointer.to(params.get(i));
        }
        cuLaunchKernel(function(kernel), gridX, gridY, gridZ, blockX, blockY, blockZ, 0, stream, Pointer.to(pointers), null);
    }

    private CUfunction function(String kernel) {
        CUfunction found = functions.get(kernel);
        if (found != null) {
            return found;
        }
        for (CUmodule module : modules) {
            CUfunction candidate = new CUfunction();
            try {
                cuModuleGetFunction(candidate, module, kernel);
            } catch (CudaException notInThisModule) {
                continue;
            }
            functions.put(kernel, candidate);
            return candidate;
        }
        throw new IllegalStateException("kernel " + kernel + " is in none of the " + modules.size()
                + " packaged CUDA modules: the jar was built from other .cu sources than this backend's");
    }

    @Override
    public void synchronize() {
        bind();
        cuStreamSynchronize(stream);
    }

    @Override
    public String blasName() {
        return cublas == null ? null : cublas.name();
    }

    @Override
    public void gemm(boolean float64, boolean transA, boolean transB, int m, int n, int k,
                     long a, int lda, long strideA, long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        bind();
        cublas.gemm(float64, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
    }

    @Override
    public void close() {
        bind();
        if (cublas != null) {
            cublas.close();
        }
        for (CUmodule module : modules) {
            cuModuleUnload(module);
        }
        modules.clear();
        functions.clear();
        if (address(stream) != 0) {
            cuStreamDestroy(stream);
        }
        cuDevicePrimaryCtxRelease(device);
    }

    @Override
    public String toString() {
        return "cuda:" + ordinal + " (" + name + ")";
    }

    private static CUdeviceptr device(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    private static Pointer host(MemorySegment segment) {
        return Pointer.to(segment.asByteBuffer());
    }

    static long address(NativePointerObject pointer) {
        try {
            return (long) NATIVE_POINTER.invoke(pointer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a JCuda pointer's address", e);
        }
    }
}
