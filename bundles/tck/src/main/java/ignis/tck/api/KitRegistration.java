package ignis.tck.api;

import ignis.tensor.BackendRegistry;
import ignis.tensor.spi.Backend;

/**
 * Registers the backend under test (wrapped in a {@link KitBackend}) while any part of the kit runs:
 * the Jupiter tests hold it from {@code @BeforeAll} to {@code @AfterAll}, each jqwik property from
 * {@code @BeforeProperty} to {@code @AfterProperty}. Nested holds of the same backend share one
 * registration.
 */
final class KitRegistration {

    private static KitBackend active;
    private static BackendRegistry.Registration registration;
    private static int holders;

    private KitRegistration() {
    }

    static synchronized KitBackend acquire(Backend backend) {
        if (holders == 0) {
            active = KitBackend.wrap(backend);
            registration = BackendRegistry.register(active, "ignis api conformance kit: " + backend.name());
        } else if (active.delegate != backend) {
            throw new IllegalStateException("the kit already tests " + active.delegate + ", it cannot test " + backend
                    + " at the same time");
        }
        holders++;
        return active;
    }

    static synchronized void release() {
        if (holders == 0) {
            throw new IllegalStateException("release() without acquire()");
        }
        if (--holders == 0) {
            registration.close();
            registration = null;
            active = null;
        }
    }

    /** The registered wrapper, or null when none is. */
    static synchronized KitBackend active() {
        return active;
    }
}
