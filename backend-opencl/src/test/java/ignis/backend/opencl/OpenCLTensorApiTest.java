package ignis.backend.opencl;

import ignis.tck.api.TensorApiKit;
import ignis.tensor.spi.Backend;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The API level of the conformance kit, with every tensor on opencl:0. Where no OpenCL device exists
 * the Jupiter tests are disabled (the kit's {@code @AfterAll} must not run without its {@code @BeforeAll}), and the jqwik properties
 * through {@link SkipWithoutOpenCL} (jqwik reports an assumption in a lifecycle method as an error).
 */
@EnabledIf(value = "ignis.backend.opencl.OpenCLBackend#available",
        disabledReason = "no OpenCL device on this machine (install an ICD such as pocl-opencl-icd)")
@AddLifecycleHook(value = OpenCLTensorApiTest.SkipWithoutOpenCL.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class OpenCLTensorApiTest extends TensorApiKit {

    @Override
    protected Backend backend() {
        return OpenCLDevice.backend();
    }

    /** Skips jqwik's containers and properties on a machine without an OpenCL device, with the reason. */
    static final class SkipWithoutOpenCL implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return OpenCLBackend.available() ? SkipResult.doNotSkip()
                    : SkipResult.skip("skipped: " + OpenCLBackend.unavailableReason());
        }
    }
}
