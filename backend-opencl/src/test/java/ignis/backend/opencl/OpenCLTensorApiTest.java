package ignis.backend.opencl;

import ignis.tck.api.TensorApiKit;
import ignis.tensor.spi.Backend;

/** The API level of the conformance kit, with every tensor on opencl:0; skipped where no OpenCL device exists. */
class OpenCLTensorApiTest extends TensorApiKit {

    @Override
    protected Backend backend() {
        return OpenCLDevice.backend();
    }
}
