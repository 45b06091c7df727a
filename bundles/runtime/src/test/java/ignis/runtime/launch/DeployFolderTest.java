package ignis.runtime.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** The watched deploy folder, on the runtime that the build assembled: drop, replace and remove a bundle jar. */
class DeployFolderTest {

    private static final String DROPPED = "ignis.test.dropped";

    @TempDir
    Path temp;
    private Path deploy;
    private Path cache;
    private EmbeddedRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        Path home = Path.of(System.getProperty("ignis.runtime.dir", "target/ignis-runtime"));
        deploy = Files.createDirectories(temp.resolve("deploy"));
        cache = temp.resolve("cache");
        runtime = EmbeddedRuntime.start(new LaunchOptions(home, deploy, Optional.of(cache), 100, List.of("devices")), null);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void startsDeclarativeServicesGogoAndFileInstall() {
        List<String> active = Arrays.stream(runtime.context().getBundles())
                .filter(b -> b.getState() == Bundle.ACTIVE)
                .map(Bundle::getSymbolicName)
                .toList();
        assertTrue(active.containsAll(List.of("org.apache.felix.scr", "org.apache.felix.gogo.runtime",
                "org.apache.felix.gogo.shell", "org.apache.felix.gogo.command", "org.apache.felix.fileinstall")), active.toString());
    }

    @Test
    void droppingAJarInstallsAndStartsItReplacingUpdatesItRemovingUninstallsIt() throws Exception {
        Path jar = deploy.resolve("dropped.jar");
        writeBundle(jar, "1.0.0");
        Bundle installed = await("the dropped bundle to start", () -> find(DROPPED)
                .filter(b -> b.getState() == Bundle.ACTIVE).orElse(null));
        assertEquals(new Version(1, 0, 0), installed.getVersion());

        Path next = temp.resolve("next.jar");
        writeBundle(next, "1.1.0");
        Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING);
        Bundle updated = await("the bundle to be updated to 1.1.0", () -> find(DROPPED)
                .filter(b -> b.getVersion().equals(new Version(1, 1, 0)) && b.getState() == Bundle.ACTIVE).orElse(null));
        assertEquals(installed.getBundleId(), updated.getBundleId(), "an update keeps the bundle, it does not reinstall it");

        Files.delete(jar);
        await("the bundle to be uninstalled",
                () -> find(DROPPED).isEmpty() && installed.getState() == Bundle.UNINSTALLED ? Boolean.TRUE : null);
    }

    @Test
    void closingRemovesNothingButAGivenCacheAndEverythingOfATemporaryOne() throws Exception {
        runtime.close();
        assertTrue(Files.isDirectory(cache), "a cache the user named stays");

        Path home = Path.of(System.getProperty("ignis.runtime.dir", "target/ignis-runtime"));
        try (EmbeddedRuntime temporary = EmbeddedRuntime.start(new LaunchOptions(home, deploy, Optional.empty(), 100, List.of("devices")), null)) {
            Path storage = Path.of(temporary.context().getProperty("org.osgi.framework.storage"));
            assertTrue(Files.isDirectory(storage));
            temporary.close();
            assertFalse(Files.exists(storage), "the temporary cache is removed");
        }
    }

    private Optional<Bundle> find(String symbolicName) {
        return Arrays.stream(runtime.context().getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    private static <T> T await(String what, Supplier<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        return fail("timed out waiting for " + what);
    }

    private static void writeBundle(Path jar, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", DROPPED);
        main.putValue("Bundle-Version", version);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            assertNotNull(ignored);
        }
    }
}
