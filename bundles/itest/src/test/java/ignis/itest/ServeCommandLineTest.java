package ignis.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./ignis serve} as users run it: the launcher in a separate JVM, serving until it is terminated. */
class ServeCommandLineTest {

    private static final Pattern READY = Pattern.compile("serve: mlp from .* on cpu at (http://\\S+) .*");

    @TempDir
    Path temp;

    @Test
    void servesUntilTerminatedThenStops() throws Exception {
        Path model = zeroMlp(temp.resolve("model.safetensors"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + System.getProperty("ignis.jvm.options"),
                "-jar", RuntimeBundles.runtimeDir().resolve("ignis-runtime.jar").toString(),
                "serve", "--model", model.toString(), "--port", "0", "--threads", "2");
        Path printed = temp.resolve("out.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(printed.toFile()).start();
        process.getOutputStream().close();
        try {
            URI uri = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); uri == null; Thread.sleep(100)) {
                assertTrue(System.nanoTime() < deadline && process.isAlive(), "no line with the URL: " + Files.readString(printed));
                uri = Files.readAllLines(printed).stream().map(READY::matcher).filter(Matcher::matches)
                        .map(m -> URI.create(m.group(1))).findFirst().orElse(null);
            }

            HttpClient client = HttpClient.newHttpClient();
            assertEquals("{\"status\":\"ok\"}", client.send(HttpRequest.newBuilder(uri.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            // Zero weights give every class the same probability.
            String image = "{\"inputs\": [[" + "0.5, ".repeat(783) + "0.5]]}";
            String answer = client.send(HttpRequest.newBuilder(uri.resolve("/predict")).POST(HttpRequest.BodyPublishers.ofString(image)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals("{\"probabilities\":[[0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1]],\"classes\":[0],\"device\":\"cpu\"}", answer);

            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "serve did not stop within 30 s of SIGTERM");
            assertEquals("serve: stopped", Files.readAllLines(printed).getLast());
        } finally {
            process.destroyForcibly();
        }
    }

    /** The mlp of ./ignis train with every weight and bias zero, written as a safetensors file by hand. */
    private static Path zeroMlp(Path file) throws IOException {
        long[][] shapes = {{256, 784}, {256}, {128, 256}, {128}, {10, 128}, {10}};
        String[] names = {"1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"};
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (int i = 0; i < names.length; i++) {
            long bytes = 4 * shapes[i][0] * (shapes[i].length == 2 ? shapes[i][1] : 1);
            header.append(i == 0 ? "" : ",").append('"').append(names[i]).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(shapes[i].length == 2 ? "[" + shapes[i][0] + "," + shapes[i][1] + "]" : "[" + shapes[i][0] + "]")
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            out.write(new byte[(int) offset]);
        }
        return file;
    }
}
