package ignis.examples.serve;

import ignis.nn.Module;
import ignis.tensor.DeviceEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@code ignis:serve}: the inference service, run by {@code ./ignis serve}. The model is published as
 * a {@link Module} service named {@code model}, for {@code ignis:move}. The command returns when
 * it is interrupted, when this component stops (its bundle stops) or when the framework starts to
 * stop; each stops the server and its threads. Immediate: a delayed component would be deactivated,
 * stopping its background services, as soon as the shell let go of it after a command.
 */
@Component(service = ServeCommand.class, immediate = true, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=serve"})
public final class ServeCommand {

    private final Set<Running> running = new HashSet<>();
    private boolean stopped;
    private BundleContext context;
    /**
     * Stops serving as soon as the framework starts to stop: the backend bundles may stop before this
     * one, and requests would then fail for want of a device instead of being refused a connection.
     */
    private final SynchronousBundleListener frameworkStopping = event -> {
        if (event.getBundle().getBundleId() == Constants.SYSTEM_BUNDLE_ID && event.getType() == BundleEvent.STOPPING) {
            stopAll();
        }
    };

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        context.addBundleListener(frameworkStopping);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(frameworkStopping);
        stopAll();
    }

    public void serve(String... args) throws IOException, InterruptedException {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(ServeOptions.USAGE);
            return;
        }
        PrintStream out = System.out;
        if (args.length == 1 && args[0].equals("--stop")) {
            out.println("serve: stopped " + stopRunning() + " service(s)");
            return;
        }
        ServeOptions options = ServeOptions.parse(args);
        Running running = Running.start(options, context, out);
        if (!track(running)) {
            running.close();
            return;
        }
        out.println("serve: " + running.model.kind() + " from " + options.model() + " on " + running.model.device()
                + " at " + running.server.uri() + " (POST /predict, GET /health, GET /devices; "
                + (options.background() ? "serve --stop stops it)" : "Ctrl-C stops)"));
        out.flush();
        if (options.background()) {
            return;
        }
        try {
            running.server.awaitStop();
            out.println("serve: stopped");
        } finally {
            untrack(running);
            running.close();
        }
    }

    /** A service and what it holds: the model (published as a Module service), the server, the event printer. */
    private record Running(ServedModel model, InferenceServer server, ServiceRegistration<Module> published,
                           DeviceEvents.Subscription events) implements AutoCloseable {

        static Running start(ServeOptions options, BundleContext context, PrintStream out) throws IOException {
            ServedModel model = ServedModel.load(options.model());
            InferenceServer server;
            try {
                server = InferenceServer.start(model, new InetSocketAddress(options.host(), options.port()),
                        options.threads(), InferenceServer.Limits.DEFAULT);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
            try {
                ServiceRegistration<Module> published = context.registerService(Module.class, model.module(),
                        new Hashtable<>(Map.of(Module.NAME_PROPERTY, "model")));
                return new Running(model, server, published,
                        DeviceEvents.subscribe(event -> out.println("serve: devices: " + event)));
            } catch (RuntimeException e) {
                server.close();
                model.close();
                throw e;
            }
        }

        @Override
        public void close() {
            server.close();
            try {
                published.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first, which unregistered it
            }
            events.close();
            model.close();
        }
    }

    /** Whether the server may run: false once the service is stopping. */
    private synchronized boolean track(Running service) {
        return !stopped && running.add(service);
    }

    private synchronized void untrack(Running service) {
        running.remove(service);
    }

    private void stopAll() {
        synchronized (this) {
            stopped = true;
        }
        stopRunning();
    }

    /** Stops every service; a foreground one's command returns and closes it, a background one is closed here. */
    private int stopRunning() {
        Set<Running> stopping;
        synchronized (this) {
            stopping = Set.copyOf(running);
            running.clear();
        }
        stopping.forEach(Running::close);
        return stopping.size();
    }
}
