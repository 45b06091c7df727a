package ignis.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ignis.nn.Linear;
import ignis.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Hashtable;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The ignis commands that reach past the tensor API's exports: move, which imports ignis.nn
 * dynamically, and memory, which reads the host allocator's figures.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class IgnisCommandsInFelixTest {

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor gogo;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    @Test
    public void moveFindsAModuleServiceByItsNameAndMemoryReadsTheHostAllocator() throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("ignis.module.name", "itest-linear");
        try (Linear linear = new Linear(3, 2)) {
            ServiceRegistration<Module> registration = context.registerService(Module.class, linear, properties);
            try {
                assertEquals("module 'itest-linear' on cpu, placement STRICT: 2 parameters, 0 buffers, 32 B",
                        RuntimeBundles.runCommand(gogo, "ignis:move itest-linear cpu strict"));
            } finally {
                registration.unregister();
            }
        }
        String memory = RuntimeBundles.runCommand(gogo, "ignis:memory");
        assertTrue(memory, memory.contains("host caching allocator"));
    }
}
