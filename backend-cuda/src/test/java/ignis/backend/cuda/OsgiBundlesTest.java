package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * ignis.jcuda (with its Bundle-NativeCode) and ignis.backend.cuda in a real Felix with Declarative
 * Services: they resolve and start, the component activates, registers one Backend service per GPU
 * (none without one) and survives being stopped and started again; the native bundle stays.
 */
class OsgiBundlesTest {

    private Framework framework;

    @BeforeEach
    void start() throws Exception {
        Path storage = Path.of("target", "felix-osgi-bundles-test");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // DS's API from the test's class path, so that this test can read SCR's component states.
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.component;version=1.5.1,"
                + "org.osgi.service.component.runtime;version=1.5.1,org.osgi.service.component.runtime.dto;version=1.5.1,"
                + "org.osgi.dto;version=1.1.1,org.osgi.framework.dto;version=1.8.0,"
                + "org.osgi.util.promise;version=1.3.0,org.osgi.util.function;version=1.2.0");
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static String location(Class<?> fromBundle) throws URISyntaxException {
        Path path = Path.of(fromBundle.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Files.isDirectory(path) ? "reference:" + path.toUri() : path.toUri().toString();
    }

    @Test
    void theBundlesResolveStartAndRegisterOneBackendPerGpu() throws Exception {
        BundleContext context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (Class<?> type : List.of(org.apache.felix.scr.info.ScrInfo.class, ignis.tensor.Tensor.class,
                jcuda.driver.JCudaDriver.class, CudaBackend.class)) {
            bundles.add(context.installBundle(location(type)));
        }
        for (Bundle bundle : bundles) {
            bundle.start();
        }
        Bundle jcuda = bundles.get(2);
        Bundle cuda = bundles.get(3);
        assertEquals("ignis.jcuda", jcuda.getSymbolicName());
        assertEquals("ignis.backend.cuda", cuda.getSymbolicName());
        for (Bundle bundle : bundles) {
            assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName() + " is not active");
        }
        assertEquals("ACTIVE", componentState(context), "CudaDevices activates with or without a GPU");

        int gpus = CudaProbe.result().devices();
        assertEquals(gpus, backendServices(context).size(), "one Backend service per GPU");

        cuda.stop();
        assertEquals(0, backendServices(context).size(), "stopping the bundle unregisters its devices");
        assertEquals(Bundle.ACTIVE, jcuda.getState(), "the native bundle stays");
        cuda.start();
        assertEquals("ACTIVE", componentState(context));
        assertEquals(gpus, backendServices(context).size());
    }

    private static Collection<ServiceReference<?>> backendServices(BundleContext context) throws Exception {
        ServiceReference<?>[] found = context.getAllServiceReferences("ignis.tensor.spi.Backend", "(ignis.device=cuda:*)");
        return found == null ? List.of() : List.of(found);
    }

    private static String componentState(BundleContext context) throws InterruptedException {
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(reference);
        try {
            for (int attempt = 0; attempt < 100; attempt++) {
                for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                    if (description.name.equals(CudaDevices.class.getName())) {
                        for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                            if (configuration.state == ComponentConfigurationDTO.ACTIVE) {
                                return "ACTIVE";
                            }
                            if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                                return "FAILED: " + configuration.failure;
                            }
                        }
                    }
                }
                Thread.sleep(50);
            }
            return "not active";
        } finally {
            context.ungetService(reference);
        }
    }
}
