package ignis.examples.serve;

import ignis.tensor.DeviceEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@code ignis:serve}: the inference service, run by {@code ./ignis serve}. The command returns when
 * it is interrupted, when this component stops (its bundle stops) or when the framework starts to
 * stop; each stops the server and its threads.
 */
@Component(service = ServeCommand.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=serve"})
public final class ServeCommand {

    private final Set<InferenceServer> running = new HashSet<>();
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
        ServeOptions options = ServeOptions.parse(args);
        PrintStream out = System.out;
        try (ServedModel model = ServedModel.load(options.model());
             InferenceServer server = InferenceServer.start(model, new InetSocketAddress(options.host(), options.port()),
                     options.threads(), InferenceServer.Limits.DEFAULT);
             DeviceEvents.Subscription events = DeviceEvents.subscribe(event -> out.println("serve: devices: " + event))) {
            if (!track(server)) {
                return;
            }
            try {
                out.println("serve: " + model.kind() + " from " + options.model() + " on " + model.device() + " at " + server.uri()
                        + " (POST /predict, GET /health, GET /devices; Ctrl-C stops)");
                out.flush();
                server.awaitStop();
                out.println("serve: stopped");
            } finally {
                untrack(server);
            }
        }
    }

    /** Whether the server may run: false once the service is stopping. */
    private synchronized boolean track(InferenceServer server) {
        return !stopped && running.add(server);
    }

    private synchronized void untrack(InferenceServer server) {
        running.remove(server);
    }

    private void stopAll() {
        Set<InferenceServer> stopping;
        synchronized (this) {
            stopped = true;
            stopping = Set.copyOf(running);
        }
        stopping.forEach(InferenceServer::close);
    }
}
