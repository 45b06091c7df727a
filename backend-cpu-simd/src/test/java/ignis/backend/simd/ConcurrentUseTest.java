package ignis.backend.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.BinaryOp;
import ignis.tensor.spi.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One backend instance serves many threads: broadcast operands go through per-thread scratch memory. */
class ConcurrentUseTest {

    @Test
    void threadsWithDifferentBroadcastOperandsDoNotMix() throws Exception {
        SimdBackend backend = new SimdBackend();
        int threads = 4;
        long n = 100;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float scale = t + 2;
                results.add(pool.submit(() -> {
                    TensorView a = TestViews.dense(DType.FLOAT32, 0, n);
                    TensorView b = TestViews.broadcast(DType.FLOAT32, 0, n);
                    TensorView out = TestViews.dense(DType.FLOAT32, 0, n);
                    for (int i = 0; i < n; i++) {
                        TestViews.set(a, i, i);
                    }
                    TestViews.set(b, 0, scale);
                    for (int round = 0; round < 3000; round++) {
                        backend.binary(BinaryOp.MUL, out, a, b);
                        for (int i = 0; i < n; i++) {
                            if (TestViews.get(out, i) != i * scale) {
                                return "thread with scale " + scale + ", round " + round + ": element " + i + " = " + TestViews.get(out, i);
                            }
                        }
                    }
                    return "ok";
                }));
            }
            for (Future<String> result : results) {
                assertEquals("ok", result.get());
            }
        }
    }
}
