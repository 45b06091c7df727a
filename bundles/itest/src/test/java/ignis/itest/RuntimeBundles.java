package ignis.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The runtime's bundle set as Pax Exam options, read from the folder the build assembled, so that the
 * tests run exactly what {@code ./ignis} runs: the infrastructure from {@code system/} (FileInstall
 * last), the Ignis bundles from {@code deploy/}, then the runtime bundle.
 */
final class RuntimeBundles {

    private static final int INFRASTRUCTURE_LEVEL = 2;
    private static final int IGNIS_LEVEL = 3;
    private static final int FILEINSTALL_LEVEL = 4;

    private RuntimeBundles() {
    }

    static Path runtimeDir() {
        String dir = System.getProperty("ignis.runtime.dir");
        if (dir == null) {
            throw new IllegalStateException("system property ignis.runtime.dir is not set: run the tests through Maven");
        }
        return Path.of(dir);
    }

    static Option[] options(Path emptyDeployFolder) {
        Path runtime = runtimeDir();
        List<Option> options = new ArrayList<>();
        for (Path jar : jars(runtime.resolve("system"))) {
            int level = jar.getFileName().toString().contains("fileinstall") ? FILEINSTALL_LEVEL : INFRASTRUCTURE_LEVEL;
            options.add(bundle(jar.toUri().toString()).startLevel(level));
        }
        for (Path jar : jars(runtime.resolve("deploy"))) {
            options.add(bundle(jar.toUri().toString()).startLevel(IGNIS_LEVEL));
        }
        options.add(bundle(runtime.resolve("ignis-runtime.jar").toUri().toString()).startLevel(IGNIS_LEVEL));
        options.add(frameworkProperty("felix.fileinstall.dir").value(emptyDeployFolder.toString()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(junitBundles());
        return options.toArray(Option[]::new);
    }

    /** The installed bundle with this symbolic name. */
    static Bundle installed(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }

    /** Runs a Gogo command line and returns what it printed, or the value it returned. */
    static String runCommand(CommandProcessor gogo, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
             CommandSession session = gogo.createSession(InputStream.nullInputStream(), print, print)) {
            Object result = session.execute(command);
            print.flush();
            return result == null ? out.toString(StandardCharsets.UTF_8) : result.toString();
        }
    }

    private static List<Path> jars(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": build the runtime first (./ignis build)", e);
        }
    }
}
