package ignis.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class HarnessTest {

    @Test
    void takesTheSamplesAskedForAndReportsTheirMedianAndMin() {
        AtomicLong calls = new AtomicLong();
        Harness.Timing t = new Harness(3, 1, 0).measure(calls::incrementAndGet);
        assertEquals(3, t.samples().length);
        assertTrue(t.callsPerSample() >= 1);
        assertTrue(calls.get() >= 1 + 3 * t.callsPerSample(), "a warm-up call, then the samples");
        assertTrue(t.minSeconds() > 0 && t.minSeconds() <= t.medianSeconds());
        assertEquals(0, t.leakedTensors());
    }

    @Test
    void warmsUpPastTheLeastTimeWhileTheOperationGetsFaster() {
        long start = System.nanoTime();
        // 4 ms a call, halving every 40 ms down to 0.2 ms (like kernels that HotSpot compiles one by one)
        Harness.Timing t = new Harness(3, 2, 40).measure(() -> {
            double halvings = (System.nanoTime() - start) / 40e6;
            LockSupport.parkNanos((long) Math.max(200_000, 4_000_000 * Math.pow(0.5, halvings)));
        });
        assertTrue(t.medianSeconds() < 0.6e-3, "sampled before the operation settled: " + t);
    }

    @Test
    void stopsWarmingUpAfterFourWarmUpTimes() {
        long start = System.nanoTime();
        // getting faster for ever
        new Harness(1, 1, 50).measure(() -> LockSupport.parkNanos((long) (2_000_000 / (1 + (System.nanoTime() - start) / 10e6))));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 1.0, "warmed up for " + seconds + " s");
    }

    @Test
    void countsTheTensorsAnOperationLeavesOpen() {
        List<Tensor> made = new ArrayList<>();
        Harness.Timing t = new Harness(1, 0, 0).measure(() -> made.add(Tensors.zeros(2)));
        assertEquals(made.size(), t.leakedTensors(), t.toString());
        made.forEach(Tensor::close);
    }

    @Test
    void roundsPoolTheirSamples() {
        Harness.Timing a = new Harness.Timing(2, 1, 10, new double[] {1, 2, 3}, 0);
        Harness.Timing b = new Harness.Timing(5, 4, 20, new double[] {4, 5, 6}, 1);
        Harness.Timing pooled = Harness.Timing.pooled(List.of(a, b));
        assertEquals(6, pooled.samples().length);
        assertEquals(3.5, pooled.medianSeconds());
        assertEquals(1, pooled.minSeconds());
        assertEquals(1, pooled.leakedTensors());
        assertEquals(2.0, Harness.median(new double[] {3, 1, 2}));
    }

    @Test
    void needsASample() {
        assertThrows(IllegalArgumentException.class, () -> new Harness(0, 1, 1));
    }
}
