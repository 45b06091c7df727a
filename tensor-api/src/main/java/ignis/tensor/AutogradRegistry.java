package ignis.tensor;

import ignis.tensor.spi.AutogradEngine;
import ignis.tensor.spi.TensorOp;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Where the core finds the autograd engine: registered as an OSGi service by the autograd bundle or,
 * off OSGi, found once on the class path with {@link ServiceLoader}. The most recently registered
 * engine is the one in use.
 */
public final class AutogradRegistry {

    private static final System.Logger LOG = System.getLogger(AutogradRegistry.class.getName());
    private static final Object LOCK = new Object();
    private static final List<AutogradEngine> ENGINES = new ArrayList<>();
    private static volatile AutogradEngine current;
    private static boolean classPathScanned;

    private AutogradRegistry() {
    }

    /** The engine in use, or null when none is installed. */
    public static AutogradEngine engine() {
        AutogradEngine engine = current;
        if (engine != null) {
            return engine;
        }
        synchronized (LOCK) {
            if (!classPathScanned) {
                classPathScanned = true;
                for (Iterator<AutogradEngine> it = ServiceLoader.load(AutogradEngine.class).iterator(); ; ) {
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        ENGINES.add(it.next());
                    } catch (ServiceConfigurationError | LinkageError e) {
                        LOG.log(Level.WARNING, "skipping an autograd engine that cannot be loaded: " + e);
                    }
                }
                current = ENGINES.isEmpty() ? null : ENGINES.getLast();
            }
            return current;
        }
    }

    /**
     * Records an op computed outside the core, such as a custom function, as having produced
     * {@code output} from {@code inputs}: when grad mode is on and an input requires gradients.
     */
    public static void record(TensorOp op, List<Object> args, Tensor output, Tensor... inputs) {
        if (Recording.needed(inputs)) {
            Recording.attach(op, args, output, inputs);
        }
    }

    /** An engine's presence; closing it uninstalls the engine. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Installs an engine until the returned registration is closed. */
    public static Registration register(AutogradEngine engine) {
        synchronized (LOCK) {
            ENGINES.add(engine);
            current = engine;
        }
        return () -> {
            synchronized (LOCK) {
                ENGINES.remove(engine);
                current = ENGINES.isEmpty() ? null : ENGINES.getLast();
            }
        };
    }
}
