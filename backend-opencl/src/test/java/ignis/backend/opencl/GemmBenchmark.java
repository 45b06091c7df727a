package ignis.backend.opencl;

import ignis.tensor.DType;
import ignis.tensor.spi.RandomDistribution;
import ignis.tensor.spi.Storage;
import ignis.tensor.spi.TensorView;

/**
 * Not a test: measures float32 GEMM on opencl:0 in GFLOP/s for square sizes (arguments; default 256
 * 512 1024). Run from backend-opencl after {@code mvn test-compile}:
 * {@code java @../cnf/jvm.options -cp target/classes:target/test-classes:$(cat target/cp.txt) ignis.backend.opencl.GemmBenchmark [--nt] [sizes]}
 * (--nt: b transposed, a @ b.T as a linear layer computes it)
 */
public final class GemmBenchmark {

    private GemmBenchmark() {
    }

    public static void main(String[] args) {
        boolean nt = args.length > 0 && args[0].equals("--nt");
        String[] rest = nt ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        long[] sizes = rest.length == 0 ? new long[] {256, 512, 1024} : java.util.Arrays.stream(rest).mapToLong(Long::parseLong).toArray();
        try (OpenCLBackend backend = new OpenCLBackend(0)) {
            System.out.println("device " + backend.device() + " = " + backend.deviceName());
            for (long n : sizes) {
                Storage a = backend.allocate(n * n * 4);
                Storage b = backend.allocate(n * n * 4);
                Storage c = backend.allocate(n * n * 4);
                TensorView va = view(a, n);
                TensorView vb = nt ? new TensorView(b, DType.FLOAT32, 0, new long[] {n, n}, new long[] {1, n}) : view(b, n);
                TensorView vc = view(c, n);
                backend.random(RandomDistribution.UNIFORM, va, -1, 1, 1, 0);
                backend.random(RandomDistribution.UNIFORM, vb, -1, 1, 2, 0);
                backend.matmul(vc, va, vb);
                backend.synchronize();
                int reps = (int) Math.max(3, 2e9 / (2.0 * n * n * n));
                long start = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    backend.matmul(vc, va, vb);
                }
                backend.synchronize();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf((nt ? "a @ b.T " : "a @ b ") + "sgemm %d x %d x %d: %.1f GFLOP/s (%d runs, %.3f s)%n", n, n, n,
                        2.0 * n * n * n * reps / seconds / 1e9, reps, seconds);
                a.release();
                b.release();
                c.release();
            }
        }
    }

    private static TensorView view(Storage s, long n) {
        return new TensorView(s, DType.FLOAT32, 0, new long[] {n, n}, new long[] {n, 1});
    }
}
