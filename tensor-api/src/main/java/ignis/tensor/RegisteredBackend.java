package ignis.tensor;

import ignis.tensor.spi.Backend;
import java.util.Objects;

/**
 * A backend as the registry sees it.
 *
 * @param backend the backend
 * @param origin  where it came from: a bundle's symbolic name and version, or the jar it was loaded from
 */
public record RegisteredBackend(Backend backend, String origin) {

    public RegisteredBackend {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * The ranking the registry orders by: the backend's own, unless the operator overrides it with the
     * system property {@code ignis.ranking.NAME} (for instance {@code -Dignis.ranking.opencl=150} to
     * prefer an OpenCL device over cpu-simd's 100).
     */
    public int ranking() {
        return Integer.getInteger("ignis.ranking." + backend.name(), backend.ranking());
    }
}
