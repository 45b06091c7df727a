package ignis.backend.opencl;

import org.junit.jupiter.api.Assumptions;

/** The backend of opencl:0 shared by the tests of one JVM (kernels build once), or a skip when this machine has no OpenCL. */
final class OpenCLDevice {

    private static OpenCLBackend shared;

    private OpenCLDevice() {
    }

    static synchronized OpenCLBackend backend() {
        Assumptions.assumeTrue(OpenCLBackend.available(), () -> "skipped: " + OpenCLBackend.unavailableReason());
        if (shared == null) {
            shared = new OpenCLBackend(0);
        }
        return shared;
    }
}
