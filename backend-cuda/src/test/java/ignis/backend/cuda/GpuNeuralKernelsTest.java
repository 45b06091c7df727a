package ignis.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** nn.cu's kernels on cuda:0; skipped with the probe's reason without a GPU. */
class GpuNeuralKernelsTest extends NeuralKernelsChecks {

    @Override
    CudaApi open() {
        CudaProbe.Result probe = CudaProbe.result();
        assumeTrue(probe.available(), () -> "no GPU: " + probe.reason());
        return CudaBackend.open(0);
    }
}
