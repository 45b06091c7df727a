package ignis.backend.cuda;

import ignis.tensor.spi.Backend;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The CUDA backend inside OSGi: registers one {@link Backend} service per GPU ({@code cuda:0},
 * {@code cuda:1}, ...) when the bundle starts, or nothing, with the reason logged once, when the
 * machine has no usable GPU. When the bundle stops it unregisters them first: tensor-api's registry
 * then moves every tensor on those devices to cpu through the still-working backend, and only
 * afterwards are the backends' memory and contexts freed. JCuda itself lives in the long-lived
 * bundle {@code ignis.jcuda}, so this one can be stopped, updated and started again.
 */
@Component(immediate = true, service = {})
public final class CudaDevices {

    private static final System.Logger LOG = System.getLogger(CudaDevices.class.getName());

    private final List<ServiceRegistration<Backend>> registrations = new ArrayList<>();
    private final List<CudaBackend> backends = new ArrayList<>();

    @Activate
    public CudaDevices(BundleContext context) {
        CudaProbe.Result probe = CudaProbe.result();
        for (int ordinal = 0; ordinal < probe.devices(); ordinal++) {
            CudaBackend backend;
            try {
                backend = new CudaBackend(ordinal, CudaBackend.open(ordinal));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cuda:" + ordinal + " is skipped: " + e.getMessage(), e);
                continue;
            }
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Constants.SERVICE_RANKING, backend.ranking());
            properties.put("ignis.device", backend.device().toString());
            backends.add(backend);
            registrations.add(context.registerService(Backend.class, backend, properties));
        }
    }

    @Deactivate
    void deactivate() {
        // Unregistering runs the registry's evacuation synchronously, through the backend: close it only afterwards.
        for (int i = registrations.size() - 1; i >= 0; i--) {
            try {
                registrations.get(i).unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregistered it already (the bundle is stopping).
            }
            try {
                backends.get(i).close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, backends.get(i).device() + " did not close cleanly: " + e.getMessage(), e);
            }
        }
        registrations.clear();
        backends.clear();
    }
}
