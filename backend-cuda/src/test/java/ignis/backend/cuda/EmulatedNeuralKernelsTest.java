package ignis.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** nn.cu's kernels compiled for the CPU. Opt-in like {@link EmulatedConformanceTest}. */
class EmulatedNeuralKernelsTest extends NeuralKernelsChecks {

    @Override
    CudaApi open() {
        assumeTrue(EmulatedCudaApi.available(), "the CPU emulator is not built: run backend-cuda/src/test/emulator/build.sh");
        return new EmulatedCudaApi();
    }
}
