package ignis.backend.opencl;

import ignis.tck.BackendConformanceKit;
import ignis.tensor.spi.Backend;

/** The conformance kit on opencl:0 (PoCL in CI); skipped, with the reason, where no OpenCL device exists. */
class OpenCLConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend backend() {
        return OpenCLDevice.backend();
    }
}
