package ignis.tensor.spi;

import org.osgi.annotation.versioning.ConsumerType;

/** A backend whose device has memory of its own, which it allocates and copies to and from the host. */
@ConsumerType
public interface DeviceBackend extends Backend {

    /** Allocates {@code bytes} of device memory; throws {@link OutOfMemoryError} naming the device when it has none left. */
    Storage allocate(long bytes);

    /** Copies host memory into device memory, converting dtypes as {@link #copy} does. */
    void copyFromHost(TensorView deviceDst, TensorView hostSrc);

    /** Copies device memory into host memory, converting dtypes as {@link #copy} does. */
    void copyToHost(TensorView hostDst, TensorView deviceSrc);
}
