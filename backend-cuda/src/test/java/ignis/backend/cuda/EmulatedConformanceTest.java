package ignis.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.tck.BackendConformanceKit;
import ignis.tensor.spi.Backend;
import org.junit.jupiter.api.AfterAll;

/**
 * The conformance kit on the CUDA kernels compiled for the CPU ({@link EmulatedCudaApi}): their
 * per-element semantics and the Java side's argument packing, checked without a GPU. Opt-in, as the
 * emulator takes a g++ build: run {@code sh backend-cuda/src/test/emulator/build.sh} first; skipped
 * otherwise. Not a substitute for {@link CudaBackendConformanceTest} on a GPU (no real concurrency,
 * host math library, no cuBLAS).
 */
class EmulatedConformanceTest extends BackendConformanceKit {

    private static CudaBackend backend;

    @Override
    protected Backend backend() {
        assumeTrue(EmulatedCudaApi.available(), "the CPU emulator is not built: run backend-cuda/src/test/emulator/build.sh");
        synchronized (EmulatedConformanceTest.class) {
            if (backend == null) {
                backend = new CudaBackend(0, new EmulatedCudaApi());
            }
            return backend;
        }
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }
}
