package ignis.backend.reference;

import ignis.tck.BackendConformanceKit;
import ignis.tensor.spi.Backend;

/** The reference backend against the conformance kit: the executable specification must pass its own kit. */
class ReferenceBackendConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
