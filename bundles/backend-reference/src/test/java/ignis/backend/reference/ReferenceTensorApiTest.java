package ignis.backend.reference;

import ignis.tck.api.TensorApiKit;
import ignis.tensor.spi.Backend;

/** The API level of the conformance kit, run on the scalar reference backend. */
class ReferenceTensorApiTest extends TensorApiKit {

    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
