package ignis.backend.opencl;

import static org.lwjgl.opencl.CL10.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

/**
 * One device's OpenCL context: its command queue (in order), its kernels (each built once from its
 * own small program, the first time it is used, and cached), and its buffers. Every call into OpenCL
 * goes through here, under this object's lock; {@link #close()} releases everything.
 */
final class ClContext implements AutoCloseable {

    /** The work-group size of every launch; kernels check their global id against their size. */
    static final long WORK_GROUP = 64;

    /** A buffer argument of a kernel. */
    record Mem(long handle) {
    }

    final long device;
    final String label;
    final long context;
    final long queue;
    final boolean fp64;
    final long maxAlloc;
    final long globalMemory;
    final boolean gpu;
    final String deviceName;
    private final long errorFlag;
    private final String preamble;
    private final Map<String, long[]> kernels = new HashMap<>(); // name -> {program, kernel}
    private final java.nio.IntBuffer errcode = org.lwjgl.BufferUtils.createIntBuffer(1);
    private final Map<Long, Long> buffers = new HashMap<>(); // live buffer -> bytes
    private long liveBytes;
    private boolean closed;

    ClContext(long device, String label) {
        this.device = device;
        this.label = label;
        this.deviceName = infoString(device, CL_DEVICE_NAME);
        this.fp64 = infoString(device, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64");
        this.maxAlloc = infoLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.globalMemory = infoLong(device, CL_DEVICE_GLOBAL_MEM_SIZE);
        this.gpu = (infoLong(device, CL_DEVICE_TYPE) & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0;
        int[] err = new int[1];
        try (MemoryStack stack = MemoryStack.stackPush()) {
            long ctx = clCreateContext((PointerBuffer) null, stack.pointers(device), null, 0, err);
            check(err[0], "clCreateContext");
            this.context = ctx;
        }
        this.queue = clCreateCommandQueue(context, device, 0, err);
        check(err[0], "clCreateCommandQueue");
        this.errorFlag = clCreateBuffer(context, CL_MEM_READ_WRITE, 4L, errcode);
        check(errcode.get(0), "clCreateBuffer (error flag)");
        clearErrorFlag();
        this.preamble = KernelSource.preamble(fp64);
    }

    private static String infoString(long device, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            clGetDeviceInfo(device, param, (ByteBuffer) null, size);
            ByteBuffer value = stack.malloc((int) size.get(0));
            clGetDeviceInfo(device, param, value, null);
            byte[] bytes = new byte[Math.max(0, value.remaining() - 1)];
            value.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static long infoLong(long device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, value, null);
        return value[0];
    }

    void check(int code, String what) {
        if (code != CL_SUCCESS) {
            throw new ClException(label + ": " + what + " failed with OpenCL error " + code + " (" + ClErrors.name(code) + ")", code);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(label + ": the OpenCL backend is closed (its bundle stopped)");
        }
    }

    // ---- memory ----

    synchronized long allocate(long bytes) {
        requireOpen();
        long size = Math.max(bytes, 1);
        if (size > maxAlloc || liveBytes + size > globalMemory) {
            throw new OutOfMemoryError(label + " (" + deviceName + "): cannot allocate " + bytes + " bytes: " + liveBytes
                    + " of " + globalMemory + " bytes in use, the largest single buffer is " + maxAlloc + " bytes");
        }
        long mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, errcode);
        int[] err = {errcode.get(0)};
        if (ClErrors.outOfMemory(err[0])) {
            throw new OutOfMemoryError(label + " (" + deviceName + "): out of device memory allocating " + bytes
                    + " bytes (OpenCL error " + err[0] + " " + ClErrors.name(err[0]) + ")");
        }
        check(err[0], "clCreateBuffer(" + bytes + " bytes)");
        liveBytes += size;
        buffers.put(mem, size);
        return mem;
    }

    synchronized void free(long mem, long bytes) {
        if (closed) {
            return; // released with the context
        }
        Long size = buffers.remove(mem);
        if (size == null) {
            throw new IllegalStateException(label + ": buffer released twice or not ours");
        }
        liveBytes -= size;
        check(clReleaseMemObject(mem), "clReleaseMemObject");
    }

    synchronized void write(long mem, long deviceOffset, long hostAddress, long bytes) {
        requireOpen();
        check(nclEnqueueWriteBuffer(queue, mem, CL_TRUE, deviceOffset, bytes, hostAddress, 0, 0, 0), "clEnqueueWriteBuffer");
    }

    synchronized void read(long mem, long deviceOffset, long hostAddress, long bytes) {
        requireOpen();
        check(nclEnqueueReadBuffer(queue, mem, CL_TRUE, deviceOffset, bytes, hostAddress, 0, 0, 0), "clEnqueueReadBuffer");
    }

    synchronized void copyBuffer(long src, long srcOffset, long dst, long dstOffset, long bytes) {
        requireOpen();
        check(clEnqueueCopyBuffer(queue, src, dst, srcOffset, dstOffset, bytes, null, null), "clEnqueueCopyBuffer");
    }

    synchronized void finish() {
        if (!closed) {
            check(clFinish(queue), "clFinish");
        }
    }

    // ---- kernels ----

    /**
     * Runs kernel {@code name} (built from {@code source} the first time) over {@code global} work
     * items. Arguments: {@link Mem} buffers, {@code long[]} geom structs, Integer, Long, Double.
     */
    synchronized void launch(String name, Supplier<String> source, long global, Object... args) {
        requireOpen();
        long kernel = kernel(name, source);
        for (int i = 0; i < args.length; i++) {
            int code = switch (args[i]) {
                case Mem m -> clSetKernelArg1p(kernel, i, m.handle());
                case long[] struct -> clSetKernelArg(kernel, i, struct);
                case Integer v -> clSetKernelArg1i(kernel, i, v);
                case Long v -> clSetKernelArg1l(kernel, i, v);
                case Double v -> clSetKernelArg(kernel, i, new double[] {v});
                default -> throw new IllegalArgumentException("kernel argument " + args[i]);
            };
            check(code, "clSetKernelArg(" + name + ", " + i + ")");
        }
        if (global == 0) {
            return;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            // One fixed work-group size: PoCL compiles a kernel once per work-group size, and lets the
            // implementation choose one per global size would recompile it for many sizes.
            long rounded = (global + WORK_GROUP - 1) / WORK_GROUP * WORK_GROUP;
            int code = clEnqueueNDRangeKernel(queue, kernel, 1, null, stack.pointers(rounded), stack.pointers(WORK_GROUP),
                    null, null);
            if (code != CL_SUCCESS) {
                throw new ClException(label + ": kernel " + name + " failed to launch over " + global + " work items: OpenCL error "
                        + code + " (" + ClErrors.name(code) + ")", code);
            }
        }
    }

    /** The error flag kernels raise (1: integer division by zero, 2: negative integer power), read and cleared. */
    synchronized int takeErrorFlag() {
        int[] flag = new int[1];
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer b = stack.malloc(4);
            check(clEnqueueReadBuffer(queue, errorFlag, true, 0, b, null, null), "clEnqueueReadBuffer (error flag)");
            flag[0] = b.getInt(0);
        }
        if (flag[0] != 0) {
            clearErrorFlag();
        }
        return flag[0];
    }

    Mem errorFlag() {
        return new Mem(errorFlag);
    }

    private void clearErrorFlag() {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            ByteBuffer zero = stack.calloc(4);
            check(clEnqueueWriteBuffer(queue, errorFlag, true, 0, zero, null, null), "clEnqueueWriteBuffer (error flag)");
        }
    }

    private long kernel(String name, Supplier<String> source) {
        long[] cached = kernels.get(name);
        if (cached != null) {
            return cached[1];
        }
        String text = preamble + source.get();
        int[] err = new int[1];
        long program = clCreateProgramWithSource(context, text, errcode);
        check(errcode.get(0), "clCreateProgramWithSource(" + name + ")");
        int code = clBuildProgram(program, device, "", null, 0);
        if (code != CL_SUCCESS) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new ClException(label + ": kernel " + name + " failed to build: OpenCL error " + code + " ("
                    + ClErrors.name(code) + ")\nbuild log:\n" + log + "\nsource:\n" + text, code);
        }
        long kernel = clCreateKernel(program, name, err);
        if (err[0] != CL_SUCCESS) {
            clReleaseProgram(program);
            check(err[0], "clCreateKernel(" + name + ")");
        }
        kernels.put(name, new long[] {program, kernel});
        return kernel;
    }

    private String buildLog(long program) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size);
            ByteBuffer log = org.lwjgl.system.MemoryUtil.memAlloc((int) size.get(0));
            try {
                clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log, null);
                byte[] bytes = new byte[log.remaining()];
                log.get(bytes);
                return new String(bytes, StandardCharsets.UTF_8).trim();
            } finally {
                org.lwjgl.system.MemoryUtil.memFree(log);
            }
        }
    }

    /** The bytes of the buffers now allocated. */
    synchronized long liveBytes() {
        return liveBytes;
    }

    /** The number of kernels built so far. */
    synchronized int kernelCount() {
        return kernels.size();
    }

    /** Waits for the queue, then releases the kernels, programs, buffers, queue and context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        clFinish(queue);
        closed = true;
        List<long[]> built = new ArrayList<>(kernels.values());
        kernels.clear();
        for (long[] pk : built) {
            clReleaseKernel(pk[1]);
            clReleaseProgram(pk[0]);
        }
        for (long mem : buffers.keySet()) {
            clReleaseMemObject(mem);
        }
        buffers.clear();
        liveBytes = 0;
        clReleaseMemObject(errorFlag);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
