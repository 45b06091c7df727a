package ignis.tensor.internal;

import ignis.tensor.AutogradRegistry;
import ignis.tensor.spi.AutogradEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Inside OSGi: keeps the {@link AutogradRegistry} in step with the autograd engine services. */
@Component(immediate = true)
public final class AutogradEngineTracker {

    private final Map<AutogradEngine, AutogradRegistry.Registration> registrations = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(AutogradEngine engine) {
        registrations.put(engine, AutogradRegistry.register(engine));
    }

    void removeEngine(AutogradEngine engine) {
        AutogradRegistry.Registration registration = registrations.remove(engine);
        if (registration != null) {
            registration.close();
        }
    }

    @Deactivate
    void deactivate() {
        registrations.values().forEach(AutogradRegistry.Registration::close);
        registrations.clear();
    }
}
