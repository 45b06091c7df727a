package ignis.backend.simd;

import ignis.tck.api.TensorApiKit;
import ignis.tensor.spi.Backend;

/** The API level of the conformance kit, run on the Vector API backend. */
class SimdTensorApiTest extends TensorApiKit {

    @Override
    protected Backend backend() {
        return new SimdBackend();
    }
}
