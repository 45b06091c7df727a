package ignis.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import ignis.tensor.Device;
import ignis.tensor.spi.Backend;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/** The runtime's bundle set in a real Felix: its services, and that they come back when bundles are cycled. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RuntimeBundleSetTest {

    private static final String DEVICES_COMMAND = "(&(osgi.command.scope=ignis)(osgi.command.function=devices))";
    private static final long WAIT_MILLIS = 10_000;

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor gogo;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    @Test
    public void everyBundleOfTheSetIsActive() {
        List<String> notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null)
                .map(b -> b.getSymbolicName() + " " + b.getVersion() + " in state " + b.getState())
                .toList();
        assertEquals("bundles that did not start", List.of(), notActive);
        for (String expected : List.of("org.apache.felix.scr", "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.shell",
                "org.apache.felix.fileinstall", "org.apache.felix.eventadmin", "ignis.tensor.api", "ignis.runtime")) {
            assertNotNull("bundle " + expected + " is missing", bundle(expected));
        }
    }

    @Test
    public void ignisCommandsComeBackAfterTheRuntimeBundleIsStoppedUpdatedAndStarted() throws Exception {
        assertTrue(run("ignis:devices").startsWith("BACKEND"));
        Bundle runtime = bundle("ignis.runtime");

        runtime.stop();
        assertNull("the ignis commands are gone while their bundle is stopped", findService(DEVICES_COMMAND));

        runtime.update();
        refresh(runtime);
        runtime.start();
        assertNotNull("the ignis commands came back", awaitService(DEVICES_COMMAND));
        assertTrue(run("ignis:devices").startsWith("BACKEND"));
    }

    @Test
    public void backendServicesLeaveTheRegistryWithTheTensorApiAndComeBackWithIt() throws Exception {
        // A backend that only describes itself: the devices table reads nothing else.
        Backend backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "itest-backend";
                    case "device" -> Device.of("itest:0");
                    case "ranking" -> 42;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ServiceRegistration<Backend> registration = context.registerService(Backend.class, backend, new Hashtable<>());
        try {
            String probe = FrameworkUtil.getBundle(getClass()).getSymbolicName();
            // Column widths follow the longest entry, which depends on the other backends present (opencl:0 when PoCL is).
            assertTrue(run("ignis:devices").replaceAll(" +", " ").contains("itest-backend itest:0 42 " + probe));

            Bundle tensorApi = bundle("ignis.tensor.api");
            tensorApi.stop();
            assertFalse("a stopped tensor API tracks no backends", run("ignis:devices").contains("itest-backend"));

            tensorApi.start();
            assertTrue("the backend is back once the tensor API runs again", run("ignis:devices").contains("itest-backend"));
        } finally {
            registration.unregister();
        }
        assertFalse(run("ignis:devices").contains("itest-backend"));
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    private Object findService(String filter) throws Exception {
        var references = context.getServiceReferences((String) null, filter);
        return references == null ? null : references[0];
    }

    private Object awaitService(String filter) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open(true);
        try {
            return tracker.waitForService(WAIT_MILLIS);
        } finally {
            tracker.close();
        }
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> done.countDown());
        assertTrue("refresh finished", done.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }

    private String run(String command) throws Exception {
        return RuntimeBundles.runCommand(gogo, command);
    }
}
