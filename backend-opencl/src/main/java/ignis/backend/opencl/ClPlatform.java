package ignis.backend.opencl;

import static org.lwjgl.opencl.CL10.CL_DEVICE_TYPE_ALL;
import static org.lwjgl.opencl.CL10.CL_SUCCESS;
import static org.lwjgl.opencl.CL10.clGetDeviceIDs;
import static org.lwjgl.opencl.CL10.clGetPlatformIDs;

import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

/**
 * The OpenCL devices of this machine, over all platforms, in the order the ICD loader lists them:
 * device {@code opencl:i} is the i-th. Finding none is not an error: {@link #devices()} is then empty
 * and {@link #unavailableReason()} says why.
 */
final class ClPlatform {

    private ClPlatform() {
    }

    private static final class Holder {
        static final List<Long> DEVICES = new ArrayList<>();
        static final String REASON;

        static {
            String reason = null;
            // LWJGL looks for libOpenCL.so, which only the -dev packages provide; the ICD loader's soname is
            // libOpenCL.so.1. A name the user configured (org.lwjgl.opencl.libname) wins.
            if (Configuration.OPENCL_LIBRARY_NAME.get() == null && System.getProperty("os.name", "").startsWith("Linux")) {
                Configuration.OPENCL_LIBRARY_NAME.set("libOpenCL.so.1");
            }
            try (MemoryStack stack = MemoryStack.stackPush()) {
                int[] count = new int[1];
                int code = clGetPlatformIDs((PointerBuffer) null, count);
                if (code != CL_SUCCESS || count[0] == 0) {
                    reason = "no OpenCL platform (clGetPlatformIDs: " + code + " " + ClErrors.name(code)
                            + "); install an ICD such as pocl-opencl-icd";
                } else {
                    PointerBuffer platforms = stack.mallocPointer(count[0]);
                    clGetPlatformIDs(platforms, (int[]) null);
                    for (int p = 0; p < count[0]; p++) {
                        int[] n = new int[1];
                        if (clGetDeviceIDs(platforms.get(p), CL_DEVICE_TYPE_ALL, null, n) != CL_SUCCESS || n[0] == 0) {
                            continue;
                        }
                        PointerBuffer ids = stack.mallocPointer(n[0]);
                        clGetDeviceIDs(platforms.get(p), CL_DEVICE_TYPE_ALL, ids, (int[]) null);
                        for (int d = 0; d < n[0]; d++) {
                            DEVICES.add(ids.get(d));
                        }
                    }
                    if (DEVICES.isEmpty()) {
                        reason = "OpenCL platforms found, but no device on any of them";
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // The OpenCL library (libOpenCL.so.1) or LWJGL's natives are missing: no device, said once.
                reason = "OpenCL is not available: " + e;
            }
            REASON = reason;
        }
    }

    /** The device ids, possibly none. */
    static List<Long> devices() {
        return Holder.DEVICES;
    }

    /** Why there is no device, or null when there is one. */
    static String unavailableReason() {
        return Holder.REASON;
    }
}
