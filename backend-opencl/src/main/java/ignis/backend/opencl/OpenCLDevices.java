package ignis.backend.opencl;

import ignis.tensor.spi.Backend;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Inside OSGi: registers one {@link Backend} service per OpenCL device found ({@code opencl:0},
 * {@code opencl:1}, ...), and none, with the reason logged, on a machine without OpenCL. On
 * deactivation (the bundle stops, updates or goes) each service is unregistered first, which moves
 * every tensor on its device to cpu (the registry's contract), and only then is its OpenCL context
 * released, with its queue, programs, kernels and buffers. The backend starts no threads of its own.
 */
@Component(immediate = true, service = {})
public final class OpenCLDevices {

    private static final System.Logger LOG = System.getLogger(OpenCLDevices.class.getName());

    private final List<ServiceRegistration<Backend>> registrations = new ArrayList<>();
    private final List<OpenCLBackend> backends = new ArrayList<>();

    @Activate
    public OpenCLDevices(BundleContext context) {
        int count = OpenCLBackend.deviceCount();
        if (count == 0) {
            LOG.log(Level.INFO, "no OpenCL backend registered: " + OpenCLBackend.unavailableReason());
            return;
        }
        for (int i = 0; i < count; i++) {
            OpenCLBackend backend;
            try {
                backend = new OpenCLBackend(i);
            } catch (ClException e) {
                LOG.log(Level.WARNING, "OpenCL device " + i + " cannot be used: " + e.getMessage());
                continue;
            }
            backends.add(backend);
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("ignis.device", backend.device().toString());
            properties.put("ignis.opencl.device", backend.deviceName());
            properties.put("service.ranking", backend.ranking());
            registrations.add(context.registerService(Backend.class, backend, properties));
            LOG.log(Level.INFO, "registered " + backend);
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Backend> registration : registrations) {
            registration.unregister();
        }
        registrations.clear();
        for (OpenCLBackend backend : backends) {
            backend.close();
        }
        backends.clear();
    }
}
