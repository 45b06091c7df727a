package ignis.backend.simd;

import ignis.tck.BackendConformanceKit;
import ignis.tensor.spi.Backend;

/**
 * The conformance kit with 128-bit vectors (4 float lanes, 2 double lanes), whatever the CPU prefers,
 * so that the vector and scalar parts of every kernel meet at other lengths than with the preferred
 * width. A backend instance takes its width as a constructor argument: the system property
 * {@code ignis.simd.bits} is read once per JVM and could not vary within one test run.
 */
class NarrowVectorsConformanceTest extends BackendConformanceKit {

    @Override
    protected Backend backend() {
        return new SimdBackend(128);
    }
}
