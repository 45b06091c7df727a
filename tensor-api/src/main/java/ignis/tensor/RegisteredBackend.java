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
}
