package ignis.tensor.internal;

import ignis.tensor.spi.ComputePool;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** Inside OSGi: ends the compute pool's workers when the tensor-api bundle stops. */
@Component(immediate = true)
public final class ComputePoolLifecycle {

    @Deactivate
    void deactivate() {
        ComputePool.releaseThreads();
    }
}
