package ignis.bench.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The numpy side of {@code --compare} for the GEMM products of a training step, which torch_bench.py
 * does not time: the reference for GEMM is numpy's float32 matmul on OpenBLAS. Runs
 * {@code numpy_gemm.py}, a resource of this bundle, with the interpreter of the PyTorch reference.
 */
final class NumpyReference {

    private static final String SCRIPT = "numpy_gemm.py";

    private final Path python;

    NumpyReference(Path python) {
        this.python = python;
    }

    /** The name of a product's figure in the script's results. */
    static String name(GemmSuite.Case c) {
        return "numpy gemm_" + c.layout().name().toLowerCase(Locale.ROOT) + " " + c.shape();
    }

    static boolean isNumpyName(String referenceName) {
        return referenceName.startsWith("numpy ");
    }

    /**
     * Times {@code cases} with numpy at {@code threads} threads, by {@link #name}.
     *
     * @throws IOException when the script fails or writes no readable results; the message says why
     */
    Map<String, TorchReference.Result> run(List<GemmSuite.Case> cases, BenchOptions options, int threads) throws IOException {
        Path script = Files.createTempFile("ignis-numpy-gemm", ".py");
        try {
            try (InputStream in = NumpyReference.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the bench bundle");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            String shapes = cases.stream().map(c -> c.m() + "," + c.k() + "," + c.n() + "," + c.layout().name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(";"));
            return TorchReference.parse(PythonRun.run(python, script, List.of("--threads", Integer.toString(threads),
                    "--repeat", Integer.toString(options.repeat()),
                    "--min-sample", String.format(Locale.ROOT, "%.4f", options.minSampleMillis() / 1e3), "--cases", shapes)));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
