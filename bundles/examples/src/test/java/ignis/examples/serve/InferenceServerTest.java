package ignis.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.backend.simd.SimdBackend;
import ignis.examples.fashion.Models;
import ignis.nn.Module;
import ignis.io.json.Json;
import ignis.tensor.BackendRegistry;
import ignis.tensor.DeviceEvents;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceServerTest {

    /** The reference script's standardisation, written out here rather than taken from the code under test. */
    private static final double MEAN = 0.2860;
    private static final double STD = 0.3530;

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static ServedModel model;
    private static InferenceServer server;
    /** A server with tiny limits, for the requests that break them. */
    private static InferenceServer tight;
    private static double[][] weights;
    private static double[][] biases;

    @BeforeAll
    static void start() throws IOException {
        Tensors.manualSeed(20261122);
        Module mlp = Models.mlp();
        weights = new double[3][];
        biases = new double[3][];
        try (TensorScope scope = Tensors.scope()) {
            Map<String, Tensor> state = mlp.stateDict();
            for (int layer = 0; layer < 3; layer++) {
                weights[layer] = state.get((2 * layer + 1) + ".weight").toDoubleArray();
                biases[layer] = state.get((2 * layer + 1) + ".bias").toDoubleArray();
            }
        }
        model = new ServedModel("mlp", mlp);
        server = InferenceServer.start(model, new InetSocketAddress("127.0.0.1", 0), 4, new InferenceServer.Limits(1 << 20, 16));
        tight = InferenceServer.start(model, new InetSocketAddress("127.0.0.1", 0), 1, new InferenceServer.Limits(1024, 2));
    }

    @AfterAll
    static void stop() {
        tight.close();
        server.close();
        model.close();
    }

    /** softmax(MLP((x - mean) / std)) in float64, from the weights alone. */
    private static double[] reference(float[] image) {
        double[] x = new double[image.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (image[i] - MEAN) / STD;
        }
        for (int layer = 0; layer < 3; layer++) {
            int outputs = biases[layer].length;
            double[] y = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                double sum = biases[layer][o];
                for (int i = 0; i < x.length; i++) {
                    sum += weights[layer][o * x.length + i] * x[i];
                }
                y[o] = layer < 2 ? Math.max(0, sum) : sum;
            }
            x = y;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.exp(x[i] - max);
            total += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= total;
        }
        return x;
    }

    private static float[][] images(int count, long seed) {
        Random random = new Random(seed);
        float[][] images = new float[count][784];
        for (float[] image : images) {
            for (int i = 0; i < image.length; i++) {
                image[i] = random.nextInt(256) / 255f;
            }
        }
        return images;
    }

    /** {"inputs": [...]}, each image flat or as 28 rows. */
    private static String body(float[][] images, boolean rows) {
        StringBuilder out = new StringBuilder("{\"inputs\": [");
        for (int n = 0; n < images.length; n++) {
            out.append(n == 0 ? "[" : ", [");
            for (int i = 0; i < 784; i++) {
                out.append(i == 0 ? "" : rows && i % 28 == 0 ? "], [" : ", ").append(rows && i == 0 ? "[" : "").append(images[n][i]);
            }
            out.append(rows ? "]]" : "]");
        }
        return out.append("]}").toString();
    }

    private record Answer(int status, Map<?, ?> json, HttpResponse<String> response) {
        String error() {
            return (String) json.get("error");
        }
    }

    private static Answer send(InferenceServer to, String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(to.uri() + path)).method(method, body).build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        Object json = Json.parse(response.body().getBytes(StandardCharsets.UTF_8), 32, Json.Numbers.DOUBLES);
        return new Answer(response.statusCode(), assertInstanceOf(Map.class, json), response);
    }

    private static Answer post(InferenceServer to, String body) throws Exception {
        return send(to, "POST", "/predict", HttpRequest.BodyPublishers.ofString(body));
    }

    private static Answer get(String path) throws Exception {
        return send(server, "GET", path, HttpRequest.BodyPublishers.noBody());
    }

    private static float[][] probabilities(Answer answer) {
        List<?> rows = (List<?>) answer.json().get("probabilities");
        float[][] out = new float[rows.size()][];
        for (int n = 0; n < out.length; n++) {
            List<?> row = (List<?>) rows.get(n);
            out[n] = new float[row.size()];
            for (int c = 0; c < row.size(); c++) {
                out[n][c] = ((Double) row.get(c)).floatValue();
            }
        }
        return out;
    }

    @Test
    void predictionsAreTheSoftmaxOfTheMlpRecomputedInFloat64() throws Exception {
        float[][] images = images(5, 1);
        Answer answer = post(server, body(images, false));
        assertEquals(200, answer.status(), answer.response().body());
        float[][] probabilities = probabilities(answer);
        List<?> classes = (List<?>) answer.json().get("classes");
        assertEquals(images.length, probabilities.length);
        for (int n = 0; n < images.length; n++) {
            double[] expected = reference(images[n]);
            int best = 0;
            for (int c = 0; c < 10; c++) {
                assertEquals(expected[c], probabilities[n][c], 1e-5, "image " + n + ", class " + c);
                best = expected[c] > expected[best] ? c : best;
            }
            assertEquals((double) best, classes.get(n));
        }
        assertEquals("cpu", answer.json().get("device"));
    }

    @Test
    void imagesAsRowsAreReadAsTheirFlatForm() throws Exception {
        float[][] images = images(2, 2);
        Answer flat = post(server, body(images, false));
        Answer rows = post(server, body(images, true));
        assertEquals(200, rows.status(), rows.response().body());
        assertEquals(flat.json(), rows.json());
    }

    @Test
    void badRequestsAreRefusedWithWhatIsWrong() throws Exception {
        String image = body(images(1, 3), false);
        String pixels = image.substring("{\"inputs\": [[".length(), image.length() - "]]}".length());
        assertBad(400, "malformed JSON at byte 14: unexpected end of input", post(server, "{\"inputs\": [[0"));
        assertBad(400, "malformed JSON at byte 0: unexpected end of input", post(server, ""));
        assertBad(400, "malformed JSON at byte 13: unexpected 'N'", post(server, "{\"inputs\": [[NaN]]}"));
        assertBad(400, "nesting deeper than 32 levels", post(server, "[".repeat(40)));
        assertBad(400, "the body must be a JSON object {\"inputs\": [...]}, got an array of 1 value", post(server, "[1]"));
        assertBad(400, "missing field \"inputs\"", post(server, "{}"));
        assertBad(400, "unknown field \"input\"", post(server, "{\"input\": []}"));
        assertBad(400, "\"inputs\" must be an array of images, got a string", post(server, "{\"inputs\": \"x\"}"));
        assertBad(400, "\"inputs\" is empty", post(server, "{\"inputs\": []}"));
        assertBad(400, "inputs[1]: an image is 784 numbers or 28 rows of 28 numbers, got an array of 783 values",
                post(server, "{\"inputs\": [[" + pixels + "], [" + pixels.substring(pixels.indexOf(',') + 1) + "]]}"));
        List<String> rows = new ArrayList<>(Collections.nCopies(28, "[" + "0, ".repeat(27) + "0]"));
        rows.set(3, "[" + "0, ".repeat(26) + "0]");
        assertBad(400, "inputs[0][3]: a row is 28 numbers, got an array of 27 values",
                post(server, "{\"inputs\": [[" + String.join(", ", rows) + "]]}"));
        assertBad(400, "inputs[0][5]: a pixel is a number, got a string", post(server, "{\"inputs\": [[0, 0, 0, 0, 0, \"0\"" + ", 0".repeat(778) + "]]}"));
        assertBad(400, "inputs[0][0]: pixel 255.0 is outside [0, 1]", post(server, "{\"inputs\": [[255" + ", 0".repeat(783) + "]]}"));
        assertBad(400, "inputs[0][1]: pixel Infinity is outside [0, 1]", post(server, "{\"inputs\": [[0, 1e999" + ", 0".repeat(782) + "]]}"));

        assertBad(404, "no endpoint /nope", get("/nope"));
        Answer wrongMethod = get("/predict");
        assertBad(405, "GET /predict: this endpoint takes POST", wrongMethod);
        assertEquals("POST", wrongMethod.response().headers().firstValue("Allow").orElseThrow());
        assertBad(405, "POST /health: this endpoint takes GET", send(server, "POST", "/health", HttpRequest.BodyPublishers.ofString("{}")));

        assertBad(413, "\"inputs\" holds 3 images, more than the limit of 2 per request", post(tight, "{\"inputs\": [[], [], []]}"));
        String large = " ".repeat(2000) + "{}";
        assertBad(413, "the body is 2002 bytes, and the limit is 1024 bytes", post(tight, large));
        assertBad(413, "the body is more than that, and the limit is 1024 bytes", send(tight, "POST", "/predict",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large.getBytes(StandardCharsets.US_ASCII)))));

        Answer after = post(server, image);
        assertEquals(200, after.status(), "a good request after the bad ones: " + after.response().body());
    }

    private static void assertBad(int status, String message, Answer answer) {
        assertEquals(status, answer.status(), answer.response().body());
        assertTrue(answer.error().contains(message), "'" + answer.error() + "' should contain '" + message + "'");
    }

    @Test
    void concurrentRequestsAllSucceedAndAgreeWhileBackendsComeAndGo() throws Exception {
        List<String> bodies = List.of(body(images(1, 5), false), body(images(3, 6), false), body(images(16, 7), true));
        List<Map<?, ?>> expected = new ArrayList<>();
        for (String body : bodies) {
            expected.add(post(server, body).json());
        }
        long swaps = DeviceEvents.swaps();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            // A cpu backend that outranks the one there: each arrival and departure changes who runs the kernels.
            Future<Integer> swapper = clients.submit(() -> {
                int changes = 0;
                while (!done.get()) {
                    BackendRegistry.register(new Outranking(new SimdBackend()), "test").close();
                    changes += 2;
                    Thread.sleep(5);
                }
                return changes;
            });
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int first = t;
                tasks.add(() -> {
                    for (int r = 0; r < 10; r++) {
                        int which = (first + r) % bodies.size();
                        Answer answer = post(server, bodies.get(which));
                        assertEquals(200, answer.status(), answer.response().body());
                        assertEquals(expected.get(which), answer.json(), "request " + r + " of thread " + first);
                        assertEquals(400, post(server, "{\"inputs\": [[0.5]]}").status());
                    }
                    return 10;
                });
            }
            for (Future<Integer> result : clients.invokeAll(tasks)) {
                assertEquals(10, result.get());
            }
            done.set(true);
            assertEquals((long) swapper.get(), DeviceEvents.swaps() - swaps, "every arrival and departure counted as a swap");
        } finally {
            done.set(true);
            clients.shutdown();
        }
    }

    @Test
    void healthAndDevicesDescribeTheService() throws Exception {
        Answer health = get("/health");
        assertEquals(200, health.status());
        assertEquals(Map.of("status", "ok"), health.json());

        Answer devices = get("/devices");
        assertEquals(200, devices.status());
        Map<?, ?> json = devices.json();
        assertEquals(List.of("backends", "devices", "best_device", "live_tensors", "live_bytes", "swaps", "requests_served",
                "requests_failed", "model"), List.copyOf(json.keySet()));
        List<?> backends = (List<?>) json.get("backends");
        assertFalse(backends.isEmpty());
        for (Object backend : backends) {
            Map<?, ?> fields = (Map<?, ?>) backend;
            assertEquals(List.of("name", "device", "ranking", "origin"), List.copyOf(fields.keySet()));
            assertInstanceOf(String.class, fields.get("name"));
            assertInstanceOf(Double.class, fields.get("ranking"));
        }
        assertTrue(((List<?>) json.get("devices")).contains("cpu"));
        assertEquals("cpu", json.get("best_device"));
        assertTrue((Double) json.get("live_tensors") >= 6, "the model's 6 parameters at least");
        assertTrue((Double) ((Map<?, ?>) json.get("live_bytes")).get("cpu") >= 4 * 235146, "the model's float32 parameters at least");
        assertInstanceOf(Double.class, json.get("swaps"));
        assertTrue((Double) json.get("requests_served") >= 1, "the /health request before");
        assertEquals(Map.of("kind", "mlp", "parameters", 235146.0, "device", "cpu"), json.get("model"));
    }

    @Test
    void closingStopsTheServerAndItsThreads() throws Exception {
        InferenceServer extra = InferenceServer.start(model, new InetSocketAddress("127.0.0.1", 0), 2, InferenceServer.Limits.DEFAULT);
        URI uri = extra.uri();
        assertEquals(200, send(extra, "GET", "/health", HttpRequest.BodyPublishers.noBody()).status());
        extra.close();
        extra.awaitStop();
        // A pool's threads end just after it reports that it terminated.
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("ignis-serve-" + uri.getPort() + "-")) {
                thread.join(5_000);
                assertFalse(thread.isAlive(), thread + " of the closed server is still running");
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri + "/health")).build();
        assertThrows(ConnectException.class, () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
    }
}
