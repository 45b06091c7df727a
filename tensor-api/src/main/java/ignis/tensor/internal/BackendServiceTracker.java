package ignis.tensor.internal;

import ignis.tensor.BackendRegistry;
import ignis.tensor.spi.Backend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Inside OSGi: keeps the {@link BackendRegistry} in step with the backend services as they come and go. */
@Component(immediate = true)
public final class BackendServiceTracker {

    private final Map<ServiceReference<Backend>, BackendRegistry.Registration> registrations = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBackend(Backend backend, ServiceReference<Backend> reference) {
        Bundle bundle = reference.getBundle();
        String origin = bundle == null ? "unregistered" : bundle.getSymbolicName() + " " + bundle.getVersion();
        registrations.put(reference, BackendRegistry.register(backend, origin));
    }

    void removeBackend(ServiceReference<Backend> reference) {
        BackendRegistry.Registration registration = registrations.remove(reference);
        if (registration != null) {
            registration.close();
        }
    }

    @Deactivate
    void deactivate() {
        registrations.values().forEach(BackendRegistry.Registration::close);
        registrations.clear();
    }
}
