package ignis.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
        long[] now = {0};
        // 4 ms a call, halving every 20 ms down to 0.2 ms (like kernels that HotSpot compiles one by one), on a clock of its own
        Harness.Timing t = new Harness(3, 2, 40, () -> now[0], () -> { }).measure(
                () -> now[0] += (long) Math.max(200_000, 4_000_000 * Math.pow(0.5, now[0] / 20e6)));
        assertEquals(0.2e-3, t.medianSeconds(), 1e-9, "sampled before the operation settled: " + t);
    }

    @Test
    void stopsWarmingUpAfterFourWarmUpTimes() {
        long[] now = {0};
        // twice as fast every warm-up window (12.5 ms): the warm-up stops at four warm-up times, the samples take a few ms
        new Harness(1, 1, 50, () -> now[0], () -> { }).measure(() -> now[0] += Math.max(1, (long) (2_000_000 * Math.pow(0.5, now[0] / 12.5e6))));
        assertTrue(now[0] <= 4 * 50_000_000L + 50_000_000L / 4 + 10_000_000L, "warmed up until " + now[0] / 1e6 + " ms");
    }

    @Test
    void timesTheDeviceFinishingTheCallsNotTheirQueueing() {
        long[] now = {0};
        long[] queued = {0};
        // like a GPU: a call only queues 1 ms of work, which the clock sees when the harness synchronizes
        Harness.Timing t = new Harness(3, 5, 10, () -> now[0], () -> {
            now[0] += queued[0] * 1_000_000;
            queued[0] = 0;
        }).measure(() -> queued[0]++);
        assertEquals(1e-3, t.medianSeconds(), 1e-9, t.toString());
        assertEquals(0, queued[0], "work left queued after the last sample");
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
