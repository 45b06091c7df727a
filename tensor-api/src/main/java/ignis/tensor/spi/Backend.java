package ignis.tensor.spi;

import ignis.tensor.Device;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A compute backend: it runs tensor kernels on one device. Backends are registered as OSGi services
 * (Declarative Services components) and, off OSGi, found with {@link java.util.ServiceLoader}.
 */
@ConsumerType
public interface Backend {

    /** A short name that says which implementation this is, such as {@code cpu-simd} or {@code reference}. */
    String name();

    /** The device this backend computes on. */
    Device device();

    /**
     * The backend's rank among those for the same device: the highest present backend runs the
     * kernels. The scalar reference backend ranks lowest.
     */
    int ranking();
}
