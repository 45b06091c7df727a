package ignis.backend.cuda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.JCudaDriver;

/**
 * Whether this JVM can run the CUDA backend, found out once: the NVIDIA driver (libcuda.so.1) can be
 * loaded, JCuda's driver library links against it, {@code cuInit} succeeds, there is at least one
 * GPU, and this jar carries the kernels nvcc built. When any of these fails the backend does not
 * register, and the reason is logged once, at INFO: a machine without a GPU is normal.
 *
 * <p>The driver library is looked up with {@code java.lang.foreign} before JCuda is touched, so that
 * the usual case (no driver) has a one-line reason; any {@link LinkageError} from JCuda's native
 * library (it throws {@link UnsatisfiedLinkError} from its static initializer, then
 * {@link NoClassDefFoundError} on every later use) is caught here and never escapes.
 */
final class CudaProbe {

    private static final System.Logger LOG = System.getLogger(CudaProbe.class.getName());

    /** The soname of the driver API's library: the only native library JCuda's driver binding needs. */
    static final String DRIVER_LIBRARY = "libcuda.so.1";

    /** Where the build puts the fatbins, and the index of them. */
    static final String KERNELS = "ignis/backend/cuda/kernels/";

    /**
     * What the probe found.
     *
     * @param devices the number of GPUs, 0 when unavailable
     * @param reason  why the backend does not run here, or null when it does
     * @param images  the kernel modules (fatbins) to load on every device
     */
    record Result(int devices, String reason, List<byte[]> images) {
        boolean available() {
            return reason == null;
        }
    }

    private CudaProbe() {
    }

    private static final class Holder {
        static final Result RESULT = logged(probe(DRIVER_LIBRARY, CudaProbe.class.getClassLoader()));
    }

    /** The probe of this JVM, run and logged once. */
    static Result result() {
        return Holder.RESULT;
    }

    private static Result logged(Result result) {
        if (result.available()) {
            LOG.log(Level.INFO, "CUDA: " + result.devices() + " device(s), " + result.images().size() + " kernel modules");
        } else {
            LOG.log(Level.INFO, "backend-cuda does not register: " + result.reason());
        }
        return result;
    }

    /** The probe itself, with the driver's soname and the loader of the kernels as parameters for tests. */
    static Result probe(String driverLibrary, ClassLoader kernelLoader) {
        String os = System.getProperty("os.name", "") + " " + System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(os.endsWith("amd64") || os.endsWith("x86_64"))) {
            return unavailable("the JCuda driver library is packaged for Linux x86-64 only, this is " + os);
        }
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(driverLibrary, arena);
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return unavailable("no NVIDIA driver: " + driverLibrary + " cannot be loaded (" + e.getMessage() + ")");
        }
        List<byte[]> images;
        try {
            images = kernelImages(kernelLoader);
        } catch (IOException e) {
            return unavailable("the packaged CUDA kernels cannot be read: " + e);
        }
        if (images.isEmpty()) {
            return unavailable("this build of backend-cuda carries no kernels: nvcc was not found when it was built");
        }
        return initDriver(images);
    }

    /**
     * Loads JCuda's driver library, runs {@code cuInit} and counts the GPUs. Without libcuda.so.1 JCuda
     * throws UnsatisfiedLinkError from its static initializer, and NoClassDefFoundError on every call
     * after that: both are caught, as are CudaExceptions (no device, driver too old).
     */
    static Result initDriver(List<byte[]> images) {
        int count;
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] devices = new int[1];
            JCudaDriver.cuDeviceGetCount(devices);
            count = devices[0];
        } catch (LinkageError e) {
            return unavailable("JCuda's driver library does not load: " + firstLine(e));
        } catch (RuntimeException e) {
            // jcuda.CudaException: CUDA_ERROR_NO_DEVICE, CUDA_ERROR_INSUFFICIENT_DRIVER and the like.
            return unavailable("the CUDA driver does not initialize: " + firstLine(e));
        }
        if (count == 0) {
            return unavailable("the CUDA driver reports no GPU");
        }
        return new Result(count, null, images);
    }

    /** The fatbins listed in kernels.list, in order; empty when the jar has no kernels. */
    static List<byte[]> kernelImages(ClassLoader loader) throws IOException {
        byte[] list = resource(loader, KERNELS + "kernels.list");
        List<byte[]> images = new ArrayList<>();
        if (list == null) {
            return images;
        }
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            byte[] image = resource(loader, KERNELS + name);
            if (image == null) {
                throw new IOException("kernels.list names " + name + ", which the jar does not hold");
            }
            images.add(image);
        }
        return images;
    }

    private static byte[] resource(ClassLoader loader, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private static Result unavailable(String reason) {
        return new Result(0, reason, List.of());
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
