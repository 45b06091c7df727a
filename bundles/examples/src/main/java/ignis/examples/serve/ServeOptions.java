package ignis.examples.serve;

import java.nio.file.Path;

/**
 * The flags of {@code ./ignis serve}.
 *
 * @throws IllegalArgumentException from {@link #parse} for a flag it does not know, a bad value or no {@code --model}
 */
record ServeOptions(Path model, String host, int port, int threads, boolean background) {

    static final int DEFAULT_PORT = 8080;

    static final String USAGE = """
            usage: ./ignis serve --model FILE [--port N] [--host ADDRESS] [--threads N] [--background]
                   (in ./ignis shell: serve ... --background, then devices, move model DEVICE, fail DEVICE; serve --stop)
              --model FILE      the model.safetensors written by ./ignis train (mlp or cnn)
              --port N          the TCP port to listen on (default %d; 0 picks a free one)
              --host ADDRESS    the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --threads N       requests served at once (default: every core, here %d)
              --background      return once serving (in the shell); serve --stop stops every service
            endpoints:
              POST /predict     {"inputs": [image, ...]}, each image 784 pixel values in [0, 1] (row by row)
                                or 28 rows of 28; at most %d images and %d MiB per request. Answers
                                {"probabilities": [[10 numbers], ...], "classes": [...], "device": "cpu"}
              GET /health       {"status": "ok"}
              GET /devices      backends, devices, live tensors and bytes, swaps, requests served, the model's device
            The service runs until interrupted (Ctrl-C). Backends dropped into the runtime's deploy folder
            are picked up while it runs: the model follows the best device, between requests."""
            .formatted(DEFAULT_PORT, Runtime.getRuntime().availableProcessors(), InferenceServer.Limits.DEFAULT.maxBatch(),
                    InferenceServer.Limits.DEFAULT.maxBodyBytes() >> 20);

    static ServeOptions parse(String... args) {
        Path model = null;
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean background = false;
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("serve: unexpected argument '" + flag + "'");
            }
            if (flag.equals("--background")) {
                background = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("serve: " + flag + " needs a value");
            }
            String value = args[i + 1];
            switch (flag) {
                case "--model" -> model = Path.of(value);
                case "--port" -> port = intIn(flag, value, 0, 65535);
                case "--host" -> host = value;
                case "--threads" -> threads = intIn(flag, value, 1, 1024);
                default -> throw new IllegalArgumentException("serve: unknown flag '" + flag + "'");
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("serve: --model FILE is required (the model.safetensors written by ./ignis train)");
        }
        return new ServeOptions(model, host, port, threads, background);
    }

    private static int intIn(String flag, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException("serve: " + flag + " needs a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
}
