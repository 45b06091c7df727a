package ignis.examples.serve;

import ignis.tensor.DeviceEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@code ignis:serve}: the inference service, run by {@code ./ignis serve}. The command returns when
 * it is interrupted or when this component stops (its bundle stops, or the runtime shuts down), which
 * stops the server and its threads.
 */
@Component(service = ServeCommand.class, property = {
        "osgi.command.scope=ignis",
        "osgi.command.function=serve"})
public final class ServeCommand {

    private final Set<InferenceServer> running = new HashSet<>();
    private boolean deactivated;

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
            } finally {
                untrack(server);
            }
        }
    }

    /** Whether the server may run: false once the component is deactivated. */
    private synchronized boolean track(InferenceServer server) {
        return !deactivated && running.add(server);
    }

    private synchronized void untrack(InferenceServer server) {
        running.remove(server);
    }

    @Deactivate
    void deactivate() {
        Set<InferenceServer> stopping;
        synchronized (this) {
            deactivated = true;
            stopping = Set.copyOf(running);
        }
        stopping.forEach(InferenceServer::close);
    }
}
