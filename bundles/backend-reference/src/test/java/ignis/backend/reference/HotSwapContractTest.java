package ignis.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tck.api.SimulatedDevice;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.DeviceEvent;
import ignis.tensor.DeviceEvents;
import ignis.tensor.DeviceGate;
import ignis.tensor.DeviceLostException;
import ignis.tensor.GradMode;
import ignis.tensor.NeuralOps;
import ignis.tensor.Placement;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import ignis.tensor.ValuesAndIndices;
import ignis.tensor.spi.Pool2dParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The registry's hot-swap contract on a simulated device that runs the reference kernels over memory
 * that dies when freed: under concurrent ops, a leaving device's tensors move to cpu, an arriving better
 * device takes the tensors that follow the best device, and no op ever sees a dead handle, a half-moved
 * tensor or a backend that has left.
 */
class HotSwapContractTest {

    private static final Device SIM = Device.of("sim:0");

    @Test
    void requestsHoldingTheGateNeverFailWhileADeviceComesAndGoes() throws Exception {
        SimulatedDevice device = new SimulatedDevice(SIM, 1000, new ReferenceBackend());
        float[] weights = new float[8 * 3];
        Random random = new Random(7);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextFloat() - 0.5f;
        }
        try (Tensor w = Tensors.of(weights, 8, 3)) {
            w.place(Placement.FOLLOW_BEST);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong served = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int seed = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    Random inputs = new Random(seed);
                    while (!stop.get()) {
                        float[] x = new float[2 * 8];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = inputs.nextFloat();
                        }
                        try {
                            float[] y = predict(w, x);
                            assertArrayEquals(reference(weights, x), y, 1e-5f);
                            served.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            List<DeviceEvent> events = Collections.synchronizedList(new ArrayList<>());
            try (DeviceEvents.Subscription subscription = DeviceEvents.subscribe(events::add)) {
                for (int swap = 0; swap < 40; swap++) {
                    device.present(true);
                    BackendRegistry.Registration registration = BackendRegistry.register(device, "test");
                    assertEquals(SIM, w.device(), "the weights follow the best device");
                    Thread.sleep(2);
                    registration.close();
                    device.present(false);
                    assertEquals(Device.CPU, w.device());
                    Thread.sleep(2);
                }
            } finally {
                stop.set(true);
                for (Thread client : clients) {
                    client.join();
                }
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " requests failed during swaps; the first:", failures.getFirst());
            }
            assertTrue(served.get() > 0);
            assertEquals(0, device.kernelsWhileAbsent(), "no kernel ran on the device once it had left");
            assertEquals(0, device.liveAllocations(), "every allocation on the device was freed once");
            assertEquals(0, Tensors.liveBytes(SIM));
            assertEquals(80, events.stream().filter(e -> e.kind() != DeviceEvent.Kind.MIGRATED).count());
            assertTrue(events.stream().allMatch(e -> e.pauseNanos() > 0));
        }
    }

    /** One request: softmax-free linear layer + relu over a batch of 2, on whatever device the weights are. */
    private static float[] predict(Tensor w, float[] x) {
        try (DeviceGate.Hold hold = DeviceGate.hold();
             GradMode.Scope noGrad = GradMode.noGrad();
             TensorScope scope = Tensors.scope()) {
            Tensor input = Tensors.of(x, 2, 8).to(w.device());
            Tensor out = input.matmul(w).relu().mul(2.0);
            assertEquals(w.device(), out.device());
            return out.toFloatArray();
        }
    }

    private static float[] reference(float[] w, float[] x) {
        float[] out = new float[2 * 3];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int k = 0; k < 8; k++) {
                    sum += (double) x[r * 8 + k] * w[k * 3 + c];
                }
                out[r * 3 + c] = (float) (2 * Math.max(sum, 0));
            }
        }
        return out;
    }

    @Test
    void singleOpsOnFollowingTensorsStayConsistentBetweenSwaps() throws Exception {
        SimulatedDevice device = new SimulatedDevice(SIM, 1000, new ReferenceBackend());
        try (Tensor a = Tensors.arange(0.0, 1000.0, 1.0); Tensor b = Tensors.arange(0.0, 1000.0, 1.0);
             Tensor flatPlanes = Tensors.arange(0.0, 16.0, 1.0); Tensor planes = flatPlanes.reshape(1, 1, 4, 4);
             Tensor logits = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2); Tensor probabilities = logits.softmax(1);
             Tensor upstream = Tensors.of(new float[] {1, 0, 0, 1}, 2, 2)) {
            // p = softmax([1, 2]) = [1 - q, q] with q = 1 / (1 + e^-1); p * (g - sum(g * p)) = +-q(1 - q)
            float q = (float) (1 / (1 + Math.exp(-1)));
            float d = q * (1 - q);
            float[] expected = {d, -d, -d, d};
            Tensors.place(Placement.FOLLOW_BEST, List.of(a, b, planes, probabilities, upstream));
            Pool2dParams pooling = new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread client = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try (Tensor sum = a.add(b); Tensor total = sum.sum();
                         ValuesAndIndices pooled = NeuralOps.maxPool2d(planes, pooling);
                         Tensor grad = NeuralOps.softmaxBackward(upstream, probabilities, 1)) {
                        assertEquals(999_000.0, total.item(), 0.0);
                        assertEquals(Placement.FOLLOW_BEST, sum.placement(), "results inherit the placement");
                        assertArrayEquals(new float[] {5, 7, 13, 15}, pooled.values().toFloatArray());
                        assertArrayEquals(expected, grad.toFloatArray(), 1e-6f);
                        assertEquals(Placement.FOLLOW_BEST, grad.placement());
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            });
            try {
                for (int swap = 0; swap < 30; swap++) {
                    device.present(true);
                    BackendRegistry.Registration registration = BackendRegistry.register(device, "test");
                    Thread.sleep(1);
                    registration.close();
                    device.present(false);
                }
            } finally {
                stop.set(true);
                client.join();
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " ops failed; the first:", failures.getFirst());
            }
            assertEquals(0, device.kernelsWhileAbsent());
            assertEquals(0, device.liveAllocations());
        }
    }

    @Test
    void aStrictTensorKeepsItsValuesButRefusesOpsUntilPlacedAgain() {
        SimulatedDevice device = new SimulatedDevice(SIM, 1, new ReferenceBackend());
        device.present(true);
        BackendRegistry.Registration registration = BackendRegistry.register(device, "test");
        try (Tensor host = Tensors.of(new float[] {1, 2, 3}); Tensor t = host.to(SIM)) {
            t.place(Placement.STRICT);
            registration.close();
            assertEquals(Device.CPU, t.device());
            DeviceLostException lost = assertThrows(DeviceLostException.class, () -> t.add(1.0));
            assertEquals(SIM, lost.device());
            assertTrue(lost.getMessage().contains("sim:0"), lost.getMessage());
            t.place(Placement.FALLBACK);
            try (Tensor next = t.add(1.0)) {
                assertArrayEquals(new float[] {2, 3, 4}, next.toFloatArray());
            }
        }
        assertEquals(0, device.liveAllocations());
    }

    @Test
    void aFailedDeviceLeavesWithItsTensorsMovedAndEventsPublished() {
        SimulatedDevice device = new SimulatedDevice(SIM, 1, new ReferenceBackend());
        device.present(true);
        BackendRegistry.Registration registration = BackendRegistry.register(device, "test");
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        try (DeviceEvents.Subscription subscription = DeviceEvents.subscribe(events::add);
             Tensor host = Tensors.of(new float[] {1, 2, 3, 4}); Tensor t = host.to(SIM)) {
            long swaps = DeviceEvents.swaps();
            assertEquals(1, BackendRegistry.fail(SIM, "simulated"));
            assertEquals(Device.CPU, t.device());
            assertArrayEquals(new float[] {1, 2, 3, 4}, t.toFloatArray());
            assertEquals(List.of(DeviceEvent.Kind.LOST, DeviceEvent.Kind.MIGRATED), events.stream().map(DeviceEvent::kind).toList());
            DeviceEvent migrated = events.get(1);
            assertEquals(SIM, migrated.device());
            assertEquals(Device.CPU, migrated.target());
            assertEquals(1, migrated.tensors());
            assertEquals(16, migrated.bytes());
            assertTrue(events.getFirst().reason().contains("simulated"), events.getFirst().reason());
            assertEquals(swaps + 1, DeviceEvents.swaps());
            assertThrows(IllegalStateException.class, () -> Tensors.zeros(ignis.tensor.Shape.of(2), ignis.tensor.DType.FLOAT32, SIM),
                    "the failed device has no backend any more");
            registration.close(); // after the failure: nothing left to do
            assertEquals(2, events.size());
        }
        assertThrows(IllegalArgumentException.class, () -> BackendRegistry.fail(Device.CPU, "no"));
    }

    @Test
    void resultsAndLikesInheritTheStrongestPlacementOfTheirInputs() {
        try (Tensor follower = Tensors.of(new float[] {1, 2}); Tensor plain = Tensors.of(new float[] {3, 4})) {
            follower.place(Placement.FOLLOW_BEST);
            try (Tensor sum = follower.add(plain); Tensor zeros = Tensors.zerosLike(follower);
                 Tensor own = plain.mul(2.0); Tensor view = follower.view(2, 1)) {
                assertEquals(Placement.FOLLOW_BEST, sum.placement());
                assertEquals(Placement.FOLLOW_BEST, zeros.placement());
                assertEquals(Placement.FALLBACK, own.placement());
                assertEquals(Placement.FOLLOW_BEST, view.placement(), "views share their placement");
            }
        }
    }

    @Test
    void aThreadHoldingTheGateCannotChangeTheDevices() {
        SimulatedDevice device = new SimulatedDevice(SIM, 1, new ReferenceBackend());
        try (DeviceGate.Hold hold = DeviceGate.hold()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> BackendRegistry.register(device, "test"));
            assertTrue(refused.getMessage().contains("holds them"), refused.getMessage());
        }
        assertEquals(List.of(), BackendRegistry.backends().stream().filter(r -> r.backend() == device).toList());
    }

    @Test
    void followersThatCannotAllMoveStayTogetherOnCpu() {
        SimulatedDevice device = new SimulatedDevice(SIM, 1000, new ReferenceBackend());
        device.allocationLimit(1);
        device.present(true);
        try (Tensor a = Tensors.of(new float[] {1, 2}); Tensor b = Tensors.of(new float[] {3, 4})) {
            Tensors.place(Placement.FOLLOW_BEST, List.of(a, b));
            try (BackendRegistry.Registration registration = BackendRegistry.register(device, "test");
                 Tensor sum = a.add(b)) {
                assertEquals(Device.CPU, a.device());
                assertEquals(Device.CPU, b.device());
                assertArrayEquals(new float[] {4, 6}, sum.toFloatArray());
                assertEquals(0, device.liveAllocations());
            }
        }
    }

    @Test
    void movingTensorsKeepsThemAndMovesAllOrNone() {
        SimulatedDevice device = new SimulatedDevice(SIM, 1, new ReferenceBackend());
        device.present(true);
        try (BackendRegistry.Registration registration = BackendRegistry.register(device, "test");
             Tensor a = Tensors.of(new float[] {1, 2}); Tensor b = Tensors.of(new float[] {3, 4})) {
            device.allocationLimit(1);
            assertThrows(OutOfMemoryError.class, () -> Tensors.moveTo(SIM, List.of(a, b)));
            assertEquals(Device.CPU, a.device());
            assertEquals(Device.CPU, b.device());
            assertEquals(0, device.liveAllocations());

            device.allocationLimit(Long.MAX_VALUE);
            Tensors.moveTo(SIM, List.of(a, b));
            assertEquals(SIM, a.device());
            assertEquals(SIM, b.device());
            assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
            Tensors.moveTo(Device.CPU, List.of(a, b));
            assertArrayEquals(new float[] {3, 4}, b.toFloatArray());
            assertEquals(0, device.liveAllocations());
        }
        IllegalStateException noBackend = assertThrows(IllegalStateException.class,
                () -> Tensors.moveTo(Device.of("nowhere:0"), List.of()));
        assertTrue(noBackend.getMessage().contains("nowhere:0"), noBackend.getMessage());
    }
}
