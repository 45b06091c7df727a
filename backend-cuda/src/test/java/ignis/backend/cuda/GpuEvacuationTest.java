package ignis.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Evacuation from cuda:0; skipped with the probe's reason without a GPU. */
class GpuEvacuationTest extends EvacuationChecks {

    @Override
    CudaApi open() {
        CudaProbe.Result probe = CudaProbe.result();
        assumeTrue(probe.available(), () -> "no GPU: " + probe.reason());
        return CudaBackend.open(0);
    }
}
