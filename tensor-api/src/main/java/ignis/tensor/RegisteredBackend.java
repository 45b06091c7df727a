package ignis.tensor;

import ignis.tensor.spi.Backend;
import java.util.Objects;

/**
 * A backend as the registry sees it.
 *
 * @param backend the backend
 * @param origin  where it came from: a bundle's symbolic name and version, or the jar it was loaded from
 * @param ranking the ranking the registry orders by: the backend's own, unless the operator overrides
 *                it with the system property {@code ignis.ranking.NAME} (for instance
 *                {@code -Dignis.ranking.opencl=150} to prefer an OpenCL device over cpu-simd's 100)
 */
public record RegisteredBackend(Backend backend, String origin, int ranking) {

    private static final System.Logger LOG = System.getLogger(RegisteredBackend.class.getName());

    public RegisteredBackend {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(origin, "origin");
    }

    /** The backend with its own ranking, or the operator's override of it read now. */
    public RegisteredBackend(Backend backend, String origin) {
        this(backend, origin, rankingOf(backend));
    }

    private static int rankingOf(Backend backend) {
        String property = "ignis.ranking." + backend.name();
        String override = System.getProperty(property);
        if (override == null) {
            return backend.ranking();
        }
        try {
            return Integer.parseInt(override.trim());
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring " + property + "=" + override + ": not a whole number; "
                    + backend.name() + " keeps its ranking " + backend.ranking());
            return backend.ranking();
        }
    }
}
