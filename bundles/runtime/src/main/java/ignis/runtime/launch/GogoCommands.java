package ignis.runtime.launch;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs an {@code ignis:} Gogo command from outside the framework. The launcher lives on the class
 * path and cannot see Gogo's types, so it calls the well-known CommandProcessor methods by name.
 */
final class GogoCommands {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    /** Bundles register their commands while they start, so a command missing by then is unknown. */
    private static final long COMMAND_WAIT_MILLIS = 5_000;
    private static final long PROCESSOR_WAIT_MILLIS = 30_000;

    private GogoCommands() {
    }

    /**
     * Waits for the command to be registered, runs it and prints what it returns. {@code out} and
     * {@code err} must be the console's streams, taken before Gogo replaced System.out and System.err.
     *
     * @throws UsageException when no bundle provides {@code ignis:NAME}
     */
    static void run(BundleContext context, List<String> command, PrintStream out, PrintStream err) throws Exception {
        String function = command.getFirst();
        if (!function.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new UsageException("'" + function + "' is not a command name");
        }
        waitFor(context, "(&(osgi.command.scope=ignis)(osgi.command.function=" + function + "))", COMMAND_WAIT_MILLIS,
                () -> new UsageException("unknown command '" + function + "': no bundle in the runtime provides ignis:" + function));
        Object processor = waitFor(context, "(objectClass=" + PROCESSOR + ")", PROCESSOR_WAIT_MILLIS,
                () -> new IllegalStateException("the Gogo runtime did not start"));

        Method createSession = processor.getClass().getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        Object session = createSession.invoke(processor, InputStream.nullInputStream(), out, err);
        try {
            String line = "ignis:" + String.join(" ", command.stream().map(GogoCommands::quote).toList());
            Object result = invoke(session, "execute", new Class<?>[] {CharSequence.class}, line);
            if (result != null) {
                out.println(result);
            }
        } finally {
            invoke(session, "close", new Class<?>[0]);
        }
    }

    private static Object invoke(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        Method method = target.getClass().getMethod(name, types);
        method.setAccessible(true);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    /** The command's own exception, from under the reflective layers of this class and of Gogo. */
    private static Exception unwrap(InvocationTargetException e) {
        Throwable cause = e;
        while (cause instanceof InvocationTargetException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof Exception exception ? exception : e;
    }

    private static <E extends Exception> Object waitFor(BundleContext context, String filter, long millis, Supplier<E> missing)
            throws E, InterruptedException, InvalidSyntaxException {
        Filter parsed = FrameworkUtil.createFilter(filter);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, parsed, null);
        tracker.open(true);
        try {
            Object service = tracker.waitForService(millis);
            if (service == null) {
                throw missing.get();
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    /** Quotes an argument for Gogo when it holds characters Gogo would read as syntax. */
    private static String quote(String argument) {
        if (argument.matches("[A-Za-z0-9_./:=+,@%-]+")) {
            return argument;
        }
        return "'" + argument.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
