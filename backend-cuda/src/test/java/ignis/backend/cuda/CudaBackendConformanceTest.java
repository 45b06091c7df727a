package ignis.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ignis.tck.BackendConformanceKit;
import ignis.tensor.spi.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit on {@code cuda:0}. On a machine without a usable GPU every test of the kit is
 * skipped, each with the probe's reason (no driver, no GPU, no kernels in this build), so that the
 * reports show what did not run and why.
 */
class CudaBackendConformanceTest extends BackendConformanceKit {

    private static CudaBackend backend;

    @BeforeAll
    static void gpu() {
        if (CudaProbe.result().available()) {
            backend = new CudaBackend(0, CudaBackend.open(0));
        }
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    @Override
    protected Backend backend() {
        CudaProbe.Result probe = CudaProbe.result();
        assumeTrue(probe.available(), () -> "no GPU to run the kit on: " + probe.reason());
        return backend;
    }
}
