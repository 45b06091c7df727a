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
