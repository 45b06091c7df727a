package ignis.bench.command;

import ignis.tensor.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The flags of {@code ./ignis bench}.
 *
 * @param groups      the groups to run, in their table order
 * @param device      where the tensors live; empty for {@link Device#best()}
 * @param threads     compute threads; empty to keep the current setting
 * @param sizes       the square GEMM sizes n (n x n x n)
 * @param batch       the batch of the training shapes (GEMM) and of the convolution inputs
 * @param elements    the length of the large elementwise operands
 * @param repeat      samples per figure and round
 * @param rounds      how many times each group runs (with the reference after it, when compared), samples pooled
 * @param minSampleMillis the least time one sample lasts; a sample repeats the operation until then
 * @param warmupMillis    the least time spent running an operation before its samples
 * @param json        where to write the figures as JSON, if anywhere
 * @param compare     whether to run the PyTorch (and numpy) reference too, interleaved with ours
 * @param python      the interpreter that has torch and numpy
 * @param torchScript the reference script, {@code torch_bench.py}; empty for the default beside the repository
 * @throws IllegalArgumentException from {@link #parse} for a flag it does not know or a bad value
 */
record BenchOptions(List<Group> groups, Optional<Device> device, Optional<Integer> threads, List<Integer> sizes, int batch,
                    long elements, int repeat, int rounds, double minSampleMillis, double warmupMillis, Optional<Path> json,
                    boolean compare, Path python, Optional<Path> torchScript) {

    /** The benchmark groups, in the order they run. */
    enum Group {
        GEMM, ELEMENTWISE, CONV;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final List<Integer> DEFAULT_SIZES = List.of(256, 512, 1024, 2048);
    static final int DEFAULT_BATCH = 64;
    static final long DEFAULT_ELEMENTS = 16L * 1024 * 1024;
    static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");

    static final String USAGE = """
            usage: ./ignis bench [gemm|elementwise|conv|all] [--device D] [--threads N] [--sizes N,N,...] [--json FILE]
                                 [--compare [--python FILE] [--torch-script FILE]] [--repeat N] [--rounds N]
                                 [--min-time MS] [--warmup MS] [--batch N] [--elements N]
              gemm           float32 matmul: square n x n x n for each --sizes, and the training shapes of the MLP and
                             CNN (batch x 784 x 256, batch x 3136 x 128) with their backward products: gemm_tn is
                             A^T B (x^T g, the weight gradient), gemm_nt is A B^T (g W^T, the input gradient, and
                             the same forward as nn.Linear computes it, x W^T with W stored [out, in]); GFLOP/s
              elementwise    add_, mul_, relu_ in place (reads and writes the operands' memory), add and relu into
                             new tensors, exp into a new tensor (no in-place or out= form that keeps values bounded),
                             sum, on --elements floats: GB/s counting bytes read and written; and a 64-float add and
                             nn.Linear's bias add, [64,256] + [256] (µs)
              conv           conv2d 3x3 pad 1: 1->32 on [batch,1,28,28] and 32->64 on [batch,32,14,14], forward and
                             forward+backward (dW, db; dX too for the second): ms and GFLOP/s; the 2x2 max pooling
                             after each; cross-entropy of [512,1000] logits with class indices, forward and
                             forward+backward
              all            every group (the default)
              --device D     where the tensors live (default: the best device, as Device.best())
              --threads N    compute threads, as Tensors.setNumThreads (default: the current setting)
              --sizes N,...  the square GEMM sizes, with commas or spaces between (default 256,512,1024,2048)
              --json FILE    also write the figures to FILE as JSON
              --compare      also run the PyTorch reference (torch_bench.py) with the same threads, group by group
                             between ours, and numpy's matmul for the GEMM products of a training step; print their
                             median and our speed against it (reference time / our time, so > 1 means ours is faster)
              --python FILE  the interpreter with torch and numpy for --compare (default /usr/bin/python3)
              --torch-script FILE  the reference script (default: ../shared/bench/torch_bench.py from the repository)
              --repeat N     samples per figure; the table shows their median and min (default 5)
              --rounds N     run each group N times, the reference after each when compared, and pool the samples:
                             steadier figures on a shared machine (default 1)
              --min-time MS  the least time of one sample, repeating the operation as needed (default 50)
              --warmup MS    the least time an operation runs before it is sampled, longer (up to 4x) while it still gets faster
                             (default 1000: HotSpot needs that long to compile the GEMM kernels)
              --batch N      the batch of the training GEMM shapes and of the conv inputs (default 64)
              --elements N   the length of the elementwise operands (default 16777216)""";

    BenchOptions {
        groups = List.copyOf(groups);
        sizes = List.copyOf(sizes);
    }

    /** The options of a run with no flags. */
    static BenchOptions defaults() {
        return parse();
    }

    static BenchOptions parse(String... args) {
        Set<Group> groups = EnumSet.noneOf(Group.class);
        Device device = null;
        Integer threads = null;
        List<Integer> sizes = DEFAULT_SIZES;
        int batch = DEFAULT_BATCH;
        long elements = DEFAULT_ELEMENTS;
        int repeat = 5;
        int rounds = 1;
        double minSample = 50;
        double warmup = 1000;
        Path json = null;
        boolean compare = false;
        Path python = DEFAULT_PYTHON;
        Path script = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                switch (arg) {
                    case "all" -> groups.addAll(EnumSet.allOf(Group.class));
                    case "gemm" -> groups.add(Group.GEMM);
                    case "elementwise" -> groups.add(Group.ELEMENTWISE);
                    case "conv" -> groups.add(Group.CONV);
                    default -> throw new IllegalArgumentException("bench: unknown benchmark '" + arg
                            + "': expected gemm, elementwise, conv or all");
                }
                continue;
            }
            if (arg.equals("--compare")) {
                compare = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("bench: " + arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--device" -> device = device(value);
                case "--threads" -> threads = (int) positive(arg, value, Integer.MAX_VALUE);
                case "--sizes" -> {
                    // --sizes 256,512 or --sizes 256 512
                    StringBuilder list = new StringBuilder(value);
                    while (i + 1 < args.length && args[i + 1].matches("[0-9][0-9,]*")) {
                        list.append(',').append(args[++i]);
                    }
                    sizes = sizes(list.toString());
                }
                case "--batch" -> batch = (int) positive(arg, value, 1 << 20);
                case "--elements" -> elements = positive(arg, value, 1L << 31);
                case "--repeat" -> repeat = (int) positive(arg, value, 1000);
                case "--rounds" -> rounds = (int) positive(arg, value, 100);
                case "--min-time" -> minSample = nonNegativeMillis(arg, value);
                case "--warmup" -> warmup = nonNegativeMillis(arg, value);
                case "--json" -> json = Path.of(value);
                case "--python" -> python = Path.of(value);
                case "--torch-script" -> script = Path.of(value);
                default -> throw new IllegalArgumentException("bench: unknown flag '" + arg + "'");
            }
        }
        if (groups.isEmpty()) {
            groups.addAll(EnumSet.allOf(Group.class));
        }
        return new BenchOptions(new ArrayList<>(groups), Optional.ofNullable(device), Optional.ofNullable(threads), sizes, batch,
                elements, repeat, rounds, minSample, warmup, Optional.ofNullable(json), compare, python, Optional.ofNullable(script));
    }

    private static Device device(String value) {
        try {
            return Device.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bench: --device " + e.getMessage());
        }
    }

    private static List<Integer> sizes(String value) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            sizes.add((int) positive("--sizes", part.strip(), 1 << 16));
        }
        return sizes;
    }

    private static long positive(String flag, String value, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException("bench: " + flag + " needs a whole number from 1 to " + max + ", got '" + value + "'");
    }

    private static double nonNegativeMillis(String flag, String value) {
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && parsed <= 600_000) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException("bench: " + flag + " needs milliseconds from 0 to 600000, got '" + value + "'");
    }
}
