package ignis.backend.simd;

import ignis.tck.BackendConformanceKit;
import ignis.tensor.spi.Backend;

/** The conformance kit against the backend as the registry creates it: this JVM's preferred vector width. */
class SimdBackendConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend backend() {
        return new SimdBackend();
    }
}
