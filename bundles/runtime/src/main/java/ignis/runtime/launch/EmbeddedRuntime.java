package ignis.runtime.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A running Felix framework with the Ignis bundle set: the long-lived bundles from {@code system/}
 * (Declarative Services, Gogo, the tensor API, FileInstall last), the runtime bundle itself, and
 * every bundle in the watched deploy folder, which FileInstall installs and keeps in step with it.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedRuntime.class.getName());
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final Framework framework;
    private final Path cache;
    private final boolean temporaryCache;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedRuntime(Framework framework, Path cache, boolean temporaryCache) {
        this.framework = framework;
        this.cache = cache;
        this.temporaryCache = temporaryCache;
    }

    /**
     * Starts the framework and its bundles; returns once the deploy folder's bundles are installed
     * and started.
     *
     * @param runtimeBundle the jar of the runtime bundle to install, or null to run without it
     */
    public static EmbeddedRuntime start(LaunchOptions options, Path runtimeBundle) throws IOException, BundleException {
        Path system = options.home().resolve("system");
        if (!Files.isDirectory(system)) {
            throw new IOException("no runtime at " + options.home() + ": " + system + " is missing (build it with ./ignis build)");
        }
        Files.createDirectories(options.deploy());
        Path cache = options.cache().orElse(null);
        boolean temporary = cache == null;
        if (temporary) {
            cache = Files.createTempDirectory("ignis-felix-");
        }

        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path: lib/ should hold Felix"))
                .newFramework(configuration(options, cache));
        EmbeddedRuntime runtime = new EmbeddedRuntime(framework, cache, temporary);
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jarsIn(system)) {
                bundles.add(context.installBundle(jar.toUri().toString()));
            }
            if (runtimeBundle != null) {
                bundles.add(context.installBundle(runtimeBundle.toUri().toString()));
            }
            framework.start();
            // FileInstall starts last: with everything it depends on running, its first scan
            // installs and starts the deploy folder's bundles before start() returns.
            bundles.sort(Comparator.comparing(b -> FILEINSTALL.equals(b.getSymbolicName())));
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            // From here on, what changes in the deploy folder is news to the operator.
            context.addBundleListener(new BundleEventLog(options.deploy()));
            return runtime;
        } catch (IOException | BundleException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private static Map<String, String> configuration(LaunchOptions options, Path cache) {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.fileinstall.dir", options.deploy().toString());
        config.put("felix.fileinstall.filter", ".*\\.jar");
        config.put("felix.fileinstall.poll", Long.toString(options.pollMillis()));
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.bundles.new.start", "true");
        config.put("felix.fileinstall.enableConfigSave", "false");
        config.put("felix.fileinstall.log.level", "1");
        // The Gogo shell reads the console only when the user asked for it.
        config.put("gosh.args", options.interactive() ? "" : "--nointeractive");
        return config;
    }

    private static List<Path> jarsIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The jar this class was loaded from, when it runs from one (the runtime bundle); null otherwise. */
    public static Path ownJar() {
        try {
            Path location = Path.of(EmbeddedRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    public Framework framework() {
        return framework;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Blocks until the framework stops, from the shell's {@code stop 0} or {@link #close()}. */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework, waits for it, and removes a temporary cache. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException e) {
            LOG.log(Level.WARNING, "stopping the framework failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (temporaryCache) {
            deleteTree(cache);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the framework cache " + root, e);
        }
    }
}
