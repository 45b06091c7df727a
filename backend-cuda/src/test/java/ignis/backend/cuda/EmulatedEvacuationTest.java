package ignis.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Evacuation from the CPU emulator. Opt-in like {@link EmulatedConformanceTest}. */
class EmulatedEvacuationTest extends EvacuationChecks {

    @Override
    CudaApi open() {
        assumeTrue(EmulatedCudaApi.available(), "the CPU emulator is not built: run backend-cuda/src/test/emulator/build.sh");
        return new EmulatedCudaApi();
    }
}
