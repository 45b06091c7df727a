package ignis.examples.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ignis.io.json.Json;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.DeviceEvents;
import ignis.tensor.DeviceGate;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP face of a {@link ServedModel}, on the JDK's HTTP server:
 * <ul>
 * <li>{@code POST /predict} with a {@link PredictRequest} answers
 *     {@code {"probabilities": [[10 numbers], ...], "classes": [...], "device": "cpu"}};</li>
 * <li>{@code GET /health} answers {@code {"status": "ok"}};</li>
 * <li>{@code GET /devices} answers the backends, devices, live tensors and bytes, device swaps,
 *     requests served and the model's device.</li>
 * </ul>
 * Requests run on a fixed number of threads. A request the service refuses gets a 4xx status and
 * {@code {"error": "..."}}, as does a prediction while no backend serves the model's device (503); a
 * failure while serving it gets a 500, and is logged.
 */
final class InferenceServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InferenceServer.class.getName());
    /** How long {@link #close()} lets requests in flight finish, in seconds. */
    private static final int STOP_GRACE_SECONDS = 5;
    /** Deepest JSON nesting accepted in a request; a batch of 28x28 images needs 4. */
    private static final int MAX_DEPTH = 32;
    /** The method each path answers. */
    private static final Map<String, String> ENDPOINTS = Map.of("/predict", "POST", "/health", "GET", "/devices", "GET");

    /** What one request may ask for: the bytes of its body, and the images of a prediction. */
    record Limits(int maxBodyBytes, int maxBatch) {
        static final Limits DEFAULT = new Limits(16 << 20, 1024);
    }

    private final ServedModel model;
    private final Limits limits;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private InferenceServer(ServedModel model, Limits limits, HttpServer server, ExecutorService executor) {
        this.model = model;
        this.limits = limits;
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code address} (port 0 picks a free one) and serves on {@code threads} threads until closed. */
    static InferenceServer start(ServedModel model, InetSocketAddress address, int threads, Limits limits) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("ignis-serve-" + server.getAddress().getPort() + "-", 1).daemon(true).factory());
        InferenceServer service = new InferenceServer(model, limits, server, executor);
        server.createContext("/", service::handle);
        server.setExecutor(executor);
        server.start();
        return service;
    }

    URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /** Blocks until the server is {@linkplain #close() closed}. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void handle(HttpExchange exchange) {
        int status = 200;
        Object answer;
        try {
            answer = route(exchange);
        } catch (RequestException e) {
            status = e.status();
            answer = error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed", e);
            status = 500;
            answer = error("internal error: " + e);
        }
        respond(exchange, status, answer);
    }

    private Object route(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String method = ENDPOINTS.get(path);
        if (method == null) {
            throw new RequestException(404, "no endpoint " + path + ": the service answers POST /predict, GET /health and GET /devices");
        }
        if (!method.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new RequestException(405, exchange.getRequestMethod() + " " + path + ": this endpoint takes " + method);
        }
        return switch (path) {
            case "/predict" -> predict(body(exchange));
            case "/health" -> object("status", "ok");
            default -> devices();
        };
    }

    private byte[] body(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.length() < 19 && Long.parseLong(declared) > limits.maxBodyBytes()) {
            throw tooLarge(declared + " bytes");
        }
        byte[] body;
        try {
            body = exchange.getRequestBody().readNBytes(limits.maxBodyBytes() + 1);
        } catch (IOException e) {
            throw new RequestException(400, "the body could not be read: " + e.getMessage());
        }
        if (body.length > limits.maxBodyBytes()) {
            throw tooLarge("more than that");
        }
        return body;
    }

    private RequestException tooLarge(String size) {
        return new RequestException(413, "the body is " + size + ", and the limit is " + limits.maxBodyBytes() + " bytes: send fewer images at once");
    }

    private Object predict(byte[] body) {
        Object json;
        try {
            json = Json.parse(body, MAX_DEPTH, Json.Numbers.DOUBLES);
        } catch (Json.SyntaxException e) {
            throw new RequestException(400, "malformed JSON at byte " + e.offset() + ": " + e.getMessage());
        }
        PredictRequest request = PredictRequest.of(json, limits.maxBatch());
        ServedModel.Prediction prediction;
        try (DeviceGate.Hold hold = DeviceGate.hold()) {
            Device device = model.device();
            if (!BackendRegistry.hasBackend(device)) {
                throw new RequestException(503, "no backend for " + device + ", where the model is, is registered now:"
                        + " drop a backend bundle into the runtime's deploy folder");
            }
            prediction = model.predict(request.pixels(), request.count());
        }
        return object("probabilities", List.of(prediction.probabilities()), "classes", prediction.classes(),
                "device", prediction.device().toString());
    }

    private Object devices() {
        List<Object> backends = BackendRegistry.backends().stream()
                .<Object>map(r -> object("name", r.backend().name(), "device", r.backend().device().toString(),
                        "ranking", r.ranking(), "origin", r.origin()))
                .toList();
        List<String> devices = BackendRegistry.devices().stream().map(Device::toString).toList();
        Map<String, Long> liveBytes = new TreeMap<>();
        Tensors.liveBytes().forEach((device, bytes) -> liveBytes.put(device.toString(), bytes));
        return object("backends", backends, "devices", devices, "best_device", Device.best().toString(),
                "live_tensors", Tensors.liveTensors(), "live_bytes", liveBytes, "swaps", DeviceEvents.swaps(),
                "requests_served", served.get(), "requests_failed", failed.get(),
                "model", object("kind", model.kind(), "parameters", model.parameterCount(), "device", model.device().toString()));
    }

    private void respond(HttpExchange exchange, int status, Object answer) {
        try (exchange) {
            byte[] bytes = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "the client of " + exchange.getRequestURI() + " left before the answer: " + e);
        }
        served.incrementAndGet();
        if (status >= 400) {
            failed.incrementAndGet();
        }
    }

    private static Map<String, Object> error(String message) {
        return object("error", message);
    }

    /** A JSON object of the keys and values given in turn, in that order. */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** Stops listening, lets the requests in flight finish (for a few seconds at most) and ends the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(STOP_GRACE_SECONDS);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }
}
