package ignis.tck.api;

import ignis.tensor.spi.Backend;
import ignis.tensor.spi.DeviceBackend;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend under test as the kit registers it: every call goes to the backend under test, the
 * ranking is the highest possible so that the registry picks it over any other backend of its
 * device, and the kernel calls are counted so that a test can see that the kernels really ran there.
 */
class KitBackend extends ForwardingBackend {

    /** Outranks every real backend, whatever rankings they choose. */
    static final int RANKING = Integer.MAX_VALUE;

    private final AtomicLong kernelCalls = new AtomicLong();

    KitBackend(Backend delegate) {
        super(delegate);
    }

    /** A wrapper of the right kind: a device backend stays a device backend, so that its memory keeps working. */
    static KitBackend wrap(Backend backend) {
        return backend instanceof DeviceBackend device ? new KitDeviceBackend(device) : new KitBackend(backend);
    }

    /** The number of kernels (required SPI methods) called so far. */
    long kernelCalls() {
        return kernelCalls.get();
    }

    @Override
    protected final void beforeKernel() {
        kernelCalls.incrementAndGet();
    }

    @Override
    public String name() {
        return "tck(" + delegate.name() + ")";
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    @Override
    public String toString() {
        return "KitBackend[" + delegate + "]";
    }

    /** The wrapper of a backend that owns device memory. */
    static final class KitDeviceBackend extends KitBackend implements DeviceBackend {

        private final DeviceBackend device;

        KitDeviceBackend(DeviceBackend device) {
            super(device);
            this.device = device;
        }

        @Override
        public Storage allocate(long bytes) {
            return device.allocate(bytes);
        }

        @Override
        public void copyFromHost(TensorView deviceDst, TensorView hostSrc) {
            beforeKernel();
            device.copyFromHost(deviceDst, hostSrc);
        }

        @Override
        public void copyToHost(TensorView hostDst, TensorView deviceSrc) {
            beforeKernel();
            device.copyToHost(hostDst, deviceSrc);
        }
    }
}
