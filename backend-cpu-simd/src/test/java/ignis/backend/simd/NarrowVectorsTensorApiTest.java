package ignis.backend.simd;

import ignis.tck.api.TensorApiKit;
import ignis.tensor.spi.Backend;

/**
 * The API level of the conformance kit (which runs the optional convolution, pooling and softmax
 * kernels through {@code NeuralOps}) with 128-bit vectors, whatever the CPU prefers.
 */
class NarrowVectorsTensorApiTest extends TensorApiKit {

    @Override
    protected Backend backend() {
        return new SimdBackend(128);
    }
}
