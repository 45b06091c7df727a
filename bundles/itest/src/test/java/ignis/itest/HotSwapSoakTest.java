package ignis.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import ignis.nn.Conv2d;
import ignis.nn.Flatten;
import ignis.nn.Linear;
import ignis.nn.ReLU;
import ignis.nn.Sequential;
import ignis.tensor.BackendRegistry;
import ignis.tensor.Device;
import ignis.tensor.DeviceEvent;
import ignis.tensor.DeviceEvents;
import ignis.tensor.DeviceGate;
import ignis.tensor.GradMode;
import ignis.tensor.Placement;
import ignis.tensor.RegisteredBackend;
import ignis.tensor.Tensor;
import ignis.tensor.TensorScope;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The hot-swap contract under load: three client threads send predictions without pause to
 * two small models with seeded weights, placed {@link Placement#FOLLOW_BEST}, taking turns (an MLP
 * 784-64-10, and a CNN whose convolution runs the backends' convolution kernels and their per-thread
 * scratch memory), while one thread swaps the backend bundles (cpu-simd, reference, opencl) at least
 * {@value #MIN_SWAPS} times in a random order: stop, start, update from the same jar, uninstall and
 * install again from the jar's location, and for opencl:0 a simulated device failure
 * ({@link BackendRegistry#fail}) followed by a restart of its bundle, 20 to 100 ms apart. Each prediction holds the
 * {@link DeviceGate} and moves its input to the model's device inside the hold, so that it sees one
 * device from start to end.
 *
 * <p>The contract checked: no request fails; every answer equals a float64 recomputation in plain Java
 * from the same weights; after the swaps, the live tensors and bytes per device, and the number of
 * Java threads, are back to what they were before them; the class loaders of the replaced bundle
 * revisions (updated or uninstalled, then refreshed) are garbage collected while the client threads
 * and the compute pool's workers are still alive (a server's threads outlive the swaps).
 *
 * <p>The schedule keeps at least one cpu backend (cpu-simd or reference) registered at every moment:
 * the contract lets the cpu device be without a backend only when both are gone, and then requests
 * fail by design ("no backend for device cpu"). A cpu bundle is therefore stopped, updated or
 * reinstalled only while the other one is active and registered.
 *
 * <p>PoCL (an OpenCL CPU device) ranks 50, between cpu-simd (100) and the reference (0): while
 * cpu-simd is away and opencl:0 is present the models follow the best device to opencl:0, and back to
 * cpu when either changes. Without an OpenCL device the cpu bundles are swapped alone and the test
 * ends as skipped (an assumption) after its checks passed. The JVM needs HotSpot's signal chaining
 * with PoCL (see {@code LD_PRELOAD} in this module's pom).
 *
 * <p>Figures (requests, swaps by kind, pauses per swap from {@link DeviceEvent#pauseNanos}, request
 * latencies) are printed and written to {@code target/soak.json}. System properties:
 * {@code ignis.soak.seed} (default: random, printed), {@code ignis.soak.swaps} (default
 * {@value #DEFAULT_SWAPS}), {@code ignis.soak.clients} (default 3), {@code ignis.soak.verbose} (prints each
 * swap as it starts).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapSoakTest {

    private static final int CLIENTS = Integer.getInteger("ignis.soak.clients", 3);
    private static final int MIN_SWAPS = 50;
    private static final int DEFAULT_SWAPS = 100;
    private static final int BATCH = 4;
    private static final int IN = 784;
    private static final int HIDDEN = 64;
    private static final int OUT = 10;
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-4;
    private static final long MIN_REQUESTS = 200;
    private static final long WAIT_MILLIS = 20_000;
    private static final Device OPENCL = Device.of("opencl:0");
    private static final boolean VERBOSE = Boolean.getBoolean("ignis.soak.verbose");

    private static final String SIMD = "ignis.backend.simd";
    private static final String REFERENCE = "ignis.backend.reference";
    private static final String OPENCL_BSN = "ignis.backend.opencl";

    /** The kinds of swaps; FAIL is {@link BackendRegistry#fail} of opencl:0, then a restart of its bundle to bring it back. */
    private enum Kind { STOP, START, UPDATE, REINSTALL, FAIL }

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    /** The state of the swapped bundles, as the swapping thread knows it. */
    private final Map<String, Bundle> bundles = new LinkedHashMap<>();
    private final Map<String, String> locations = new HashMap<>();
    private final Map<String, Boolean> active = new HashMap<>();
    private final List<WeakReference<ClassLoader>> oldLoaders = new ArrayList<>();
    private final List<String> oldLoaderNames = new ArrayList<>();
    private boolean openclPresent;

    @Test
    public void predictionsNeverFailWhileBackendBundlesAreSwappedAtRandom() throws Exception {
        long seed = Long.getLong("ignis.soak.seed", new Random().nextLong());
        int swaps = Integer.getInteger("ignis.soak.swaps", DEFAULT_SWAPS);
        System.out.println("HotSwapSoakTest: seed " + seed + " (rerun with -Dignis.soak.seed=" + seed + "), " + swaps + " swaps");
        Random random = new Random(seed);

        awaitCpuBackends(Set.of("cpu-simd", "reference"));
        openclPresent = awaitDevice(OPENCL, true, 10_000);
        System.out.println("HotSwapSoakTest: backends " + BackendRegistry.backends().stream()
                .map(r -> r.backend().name() + "@" + r.backend().device() + "/" + r.backend().ranking()).toList()
                + (openclPresent ? "" : "; no OpenCL device: only the cpu bundles are swapped"));
        for (String bsn : openclPresent ? List.of(SIMD, REFERENCE, OPENCL_BSN) : List.of(SIMD, REFERENCE)) {
            Bundle b = bundle(bsn);
            bundles.put(bsn, b);
            locations.put(bsn, b.getLocation());
            active.put(bsn, b.getState() == Bundle.ACTIVE);
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        refresh(wiring, null); // Felix starts its refresh thread once, on the first refresh: before the baseline

        // The models, with seeded weights read back for the float64 references.
        Tensors.manualSeed(seed);
        Mlp mlp = new Mlp();
        Cnn cnn = new Cnn();
        List<Net> nets = List.of(mlp, cnn);

        ConcurrentLinkedQueue<DeviceEvent> events = new ConcurrentLinkedQueue<>();
        AtomicLong served = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();

        // Warm up on this thread (the compute pool's workers start), then take the baseline.
        Random warm = new Random(seed);
        for (int i = 0; i < 20; i++) {
            Net net = nets.get(i % nets.size());
            float[] x = input(warm);
            assertNull("warm-up " + net, check(net.predict(x), net.reference(x)));
        }
        Map<Device, Long> baselineBytes = new TreeMap<>(java.util.Comparator.comparing(Device::toString));
        baselineBytes.putAll(nonZero(Tensors.liveBytes()));
        long baselineTensors = Tensors.liveTensors();
        int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        Set<String> baselineThreadNames = threadNames();
        System.out.println("HotSwapSoakTest: baseline " + baselineBytes + " bytes, " + baselineTensors + " tensors, "
                + baselineThreads + " threads, models on " + mlp.device() + " and " + cnn.device());

        DeviceEvents.Subscription subscription = DeviceEvents.subscribe(events::add);
        CountDownLatch started = new CountDownLatch(CLIENTS);
        CountDownLatch idle = new CountDownLatch(CLIENTS);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long clientSeed = seed + 1 + c;
            long[][] own = {new long[1 << 16]};
            int[] count = {0};
            Thread client = new Thread(() -> {
                Random rng = new Random(clientSeed);
                started.countDown();
                for (long r = 0; !stop.get(); r++) {
                    Net net = nets.get((int) (r % nets.size()));
                    float[] x = input(rng);
                    long t0 = System.nanoTime();
                    try {
                        float[] y = net.predict(x);
                        long nanos = System.nanoTime() - t0;
                        if (VERBOSE && nanos > 200_000_000L) {
                            System.out.printf(Locale.ROOT, "HotSwapSoakTest: slow request: %s on %s, %.1f ms%n", net, net.device(), nanos / 1e6);
                        }
                        String wrong = check(y, net.reference(x));
                        if (wrong != null) {
                            failed.incrementAndGet();
                            if (failures.size() < 10) {
                                failures.add("wrong answer of the " + net + " on " + Thread.currentThread().getName() + ": " + wrong);
                            }
                        } else {
                            served.incrementAndGet();
                        }
                        if (count[0] == own[0].length) {
                            own[0] = Arrays.copyOf(own[0], count[0] * 2);
                        }
                        own[0][count[0]++] = nanos;
                    } catch (Throwable e) {
                        failed.incrementAndGet();
                        if (failures.size() < 10) {
                            failures.add(stackTrace(e)); // a string: a Throwable's backtrace would pin the classes in it
                        }
                    }
                }
                latencies.add(Arrays.copyOf(own[0], count[0]));
                // Stay alive, idle, while the old class loaders are checked: a server's request threads
                // outlive the swaps, and a ThreadLocal on them must not pin a bundle's classes.
                idle.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "soak-client-" + c);
            clients.add(client);
            client.start();
        }
        started.await();

        // The swaps.
        Map<Kind, Integer> byKind = new TreeMap<>();
        Map<String, Integer> byBundleKind = new TreeMap<>();
        long swapStart = System.nanoTime();
        for (int i = 0; i < swaps; i++) {
            List<String[]> choices = choices();
            String[] choice = choices.get(random.nextInt(choices.size()));
            Kind kind = Kind.valueOf(choice[1]);
            if (VERBOSE) {
                System.out.printf(Locale.ROOT, "HotSwapSoakTest: swap %d: %s %s, served %d%n", i, kind, choice[0], served.get());
            }
            swap(wiring, choice[0], kind);
            byKind.merge(kind, 1, Integer::sum);
            byBundleKind.merge(choice[0].substring("ignis.backend.".length()) + " " + kind, 1, Integer::sum);
            Thread.sleep(20 + random.nextInt(81));
        }
        // Every bundle active again: the devices are as they were at the baseline.
        for (String bsn : bundles.keySet()) {
            if (!active.get(bsn)) {
                swap(wiring, bsn, Kind.START);
                byKind.merge(Kind.START, 1, Integer::sum);
                byBundleKind.merge(bsn.substring("ignis.backend.".length()) + " START", 1, Integer::sum);
            }
        }
        double swapSeconds = (System.nanoTime() - swapStart) / 1e9;
        Thread.sleep(500);
        stop.set(true);
        assertTrue("the clients finished their last requests", idle.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        subscription.close();
        int totalSwaps = byKind.values().stream().mapToInt(Integer::intValue).sum();

        // Settle: memory and class loaders with the client threads still alive, then threads once they ended.
        Map<Device, Long> afterBytes = pollUntilEqual(baselineBytes);
        long afterTensors = Tensors.liveTensors();
        List<String> pinned = pollLoaders();
        release.countDown();
        for (Thread client : clients) {
            client.join(WAIT_MILLIS);
        }
        int afterThreads = pollThreads(baselineThreads);
        List<String> extraThreads = new ArrayList<>(threadNames());
        extraThreads.removeAll(baselineThreadNames);

        // Figures.
        long[] pauses = events.stream().filter(e -> e.kind() != DeviceEvent.Kind.MIGRATED)
                .mapToLong(DeviceEvent::pauseNanos).sorted().toArray();
        long migratedTensors = events.stream().filter(e -> e.kind() == DeviceEvent.Kind.MIGRATED).mapToLong(DeviceEvent::tensors).sum();
        long migratedBytes = events.stream().filter(e -> e.kind() == DeviceEvent.Kind.MIGRATED).mapToLong(DeviceEvent::bytes).sum();
        List<String> slowest = events.stream().filter(e -> e.kind() != DeviceEvent.Kind.MIGRATED)
                .sorted(java.util.Comparator.comparingLong(DeviceEvent::pauseNanos).reversed()).limit(3)
                .map(DeviceEvent::toString).toList();
        long[] lat = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        String json = String.format(Locale.ROOT, """
                {
                  "seed": %d,
                  "clients": %d,
                  "opencl": %b,
                  "swapSeconds": %.1f,
                  "swaps": %d,
                  "swapsByKind": %s,
                  "swapsByBundle": %s,
                  "requestsServed": %d,
                  "requestsFailed": %d,
                  "deviceEvents": %d,
                  "migrated": {"tensors": %d, "bytes": %d},
                  "pauseMs": {"count": %d, "p50": %.3f, "p99": %.3f, "max": %.3f},
                  "slowestSwaps": %s,
                  "latencyMs": {"count": %d, "p50": %.3f, "p99": %.3f, "max": %.3f},
                  "liveBytes": {"before": %s, "after": %s},
                  "liveTensors": {"before": %d, "after": %d},
                  "threads": {"before": %d, "after": %d, "new": %s},
                  "oldClassLoaders": %d,
                  "pinnedClassLoaders": %s
                }
                """, seed, CLIENTS, openclPresent, swapSeconds, totalSwaps, jsonMap(byKind), jsonMap(byBundleKind),
                served.get(), failed.get(), events.size(), migratedTensors, migratedBytes,
                pauses.length, ms(pauses, 0.50), ms(pauses, 0.99), ms(pauses, 1.0), jsonList(slowest),
                lat.length, ms(lat, 0.50), ms(lat, 0.99), ms(lat, 1.0),
                jsonMap(baselineBytes), jsonMap(afterBytes), baselineTensors, afterTensors,
                baselineThreads, afterThreads, jsonList(extraThreads), oldLoaders.size(), jsonList(pinned));
        System.out.println("HotSwapSoakTest: " + json);
        Path out = Path.of(System.getProperty("basedir", "."), "target", "soak.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);

        mlp.model.close();
        cnn.model.close();

        // The contract.
        if (failed.get() > 0) {
            fail(failed.get() + " of " + (served.get() + failed.get()) + " requests failed during " + totalSwaps
                    + " swaps (seed " + seed + "); the first ones:\n" + String.join("\n----\n", failures.stream().limit(3).toList()));
        }
        assertTrue("at least " + MIN_SWAPS + " swaps, done " + totalSwaps, totalSwaps >= Math.min(swaps, MIN_SWAPS));
        assertTrue("at least " + MIN_REQUESTS + " requests served, served " + served.get(), served.get() >= MIN_REQUESTS);
        assertEquals("live bytes per device after the swaps", baselineBytes, afterBytes);
        assertEquals("live tensors after the swaps (the models')", baselineTensors, afterTensors);
        assertTrue("Java threads back to " + baselineThreads + " after the swaps, still " + afterThreads + "; new: " + extraThreads,
                afterThreads <= baselineThreads);
        assertTrue("class loaders of replaced bundle revisions not collected: " + pinned, pinned.isEmpty());
        if (!openclPresent) {
            // Pax Exam's in-container runner reports a failed assumption as a pass: say it here too.
            System.out.println("HotSwapSoakTest: skipped the OpenCL part: no OpenCL device on this machine");
        }
        assumeTrue("no OpenCL device on this machine: only the cpu bundles were swapped", openclPresent);
    }

    // ---- predictions --------------------------------------------------------------------------

    /** A model the clients call, with its float64 recomputation in plain Java from the same weights. */
    private abstract static class Net {
        final Sequential model;
        final long[] inputShape;
        final Tensor anchor;

        Net(Sequential model, long[] inputShape, Tensor anchor) {
            this.model = model;
            this.inputShape = inputShape;
            this.anchor = anchor; // a parameter: the model's device is its parameters' device
            model.eval();
        }

        Device device() {
            return anchor.device();
        }

        /** One request: inside one hold of the gate, the input goes to the model's device, through the model, and back to cpu. */
        float[] predict(float[] x) {
            try (DeviceGate.Hold hold = DeviceGate.hold();
                 TensorScope scope = Tensors.scope();
                 GradMode.Scope noGrad = GradMode.noGrad()) {
                Tensor input = Tensors.of(x, inputShape).to(anchor.device());
                return model.forward(input).to(Device.CPU).toFloatArray();
            }
        }

        abstract double[] reference(float[] x);
    }

    /** The MLP 784-64-10: relu(x W1^T + b1) W2^T + b2. */
    private static final class Mlp extends Net {
        final double[][] w1;
        final double[] b1;
        final double[][] w2;
        final double[] b2;

        Mlp() {
            this(new Sequential(new Linear(IN, HIDDEN), new ReLU(), new Linear(HIDDEN, OUT)));
        }

        private Mlp(Sequential model) {
            super(model, new long[] {BATCH, IN}, ((Linear) model.get(0)).weight());
            Linear first = (Linear) model.get(0);
            Linear second = (Linear) model.get(2);
            w1 = rows(first.weight().toFloatArray(), HIDDEN, IN);
            b1 = doubles(first.bias().toFloatArray());
            w2 = rows(second.weight().toFloatArray(), OUT, HIDDEN);
            b2 = doubles(second.bias().toFloatArray());
            model.place(Placement.FOLLOW_BEST);
        }

        @Override
        double[] reference(float[] x) {
            double[] y = new double[BATCH * OUT];
            double[] h = new double[HIDDEN];
            for (int n = 0; n < BATCH; n++) {
                for (int j = 0; j < HIDDEN; j++) {
                    double s = b1[j];
                    for (int k = 0; k < IN; k++) {
                        s += x[n * IN + k] * w1[j][k];
                    }
                    h[j] = Math.max(0, s);
                }
                linear(h, w2, b2, y, n * OUT);
            }
            return y;
        }

        @Override
        public String toString() {
            return "mlp";
        }
    }

    /**
     * A small convolutional net on 1x28x28 images: conv 5x5 stride 3 to 4x8x8, relu, flatten, linear
     * 256-10. Its convolution runs the backends' convolution kernels and their per-thread scratch memory.
     */
    private static final class Cnn extends Net {
        static final int CH = 4;
        static final int K = 5;
        static final int STRIDE = 3;
        static final int SIDE = 28;
        static final int OSIDE = (SIDE - K) / STRIDE + 1;
        static final int FLAT = CH * OSIDE * OSIDE;
        final double[][] wc;
        final double[] bc;
        final double[][] w;
        final double[] b;

        Cnn() {
            this(new Sequential(new Conv2d(1, CH, K, STRIDE, 0), new ReLU(), new Flatten(), new Linear(FLAT, OUT)));
        }

        private Cnn(Sequential model) {
            super(model, new long[] {BATCH, 1, SIDE, SIDE}, ((Conv2d) model.get(0)).weight());
            Conv2d conv = (Conv2d) model.get(0);
            Linear linear = (Linear) model.get(3);
            wc = rows(conv.weight().toFloatArray(), CH, K * K);
            bc = doubles(conv.bias().toFloatArray());
            w = rows(linear.weight().toFloatArray(), OUT, FLAT);
            b = doubles(linear.bias().toFloatArray());
            model.place(Placement.FOLLOW_BEST);
        }

        @Override
        double[] reference(float[] x) {
            double[] y = new double[BATCH * OUT];
            double[] h = new double[FLAT];
            for (int n = 0; n < BATCH; n++) {
                for (int c = 0; c < CH; c++) {
                    for (int i = 0; i < OSIDE; i++) {
                        for (int j = 0; j < OSIDE; j++) {
                            double s = bc[c];
                            for (int ki = 0; ki < K; ki++) {
                                for (int kj = 0; kj < K; kj++) {
                                    s += x[n * SIDE * SIDE + (i * STRIDE + ki) * SIDE + j * STRIDE + kj] * wc[c][ki * K + kj];
                                }
                            }
                            h[(c * OSIDE + i) * OSIDE + j] = Math.max(0, s);
                        }
                    }
                }
                linear(h, w, b, y, n * OUT);
            }
            return y;
        }

        @Override
        public String toString() {
            return "cnn";
        }
    }

    /** y[at..] = w h + b. */
    private static void linear(double[] h, double[][] w, double[] b, double[] y, int at) {
        for (int o = 0; o < w.length; o++) {
            double s = b[o];
            for (int j = 0; j < h.length; j++) {
                s += h[j] * w[o][j];
            }
            y[at + o] = s;
        }
    }

    /** BATCH samples of IN = 28 * 28 values in [0, 1), for either model. */
    private static float[] input(Random rng) {
        float[] x = new float[BATCH * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        return x;
    }

    /** Null when the answer matches, else what differs. */
    private static String check(float[] y, double[] expected) {
        if (y.length != expected.length) {
            return y.length + " values, expected " + expected.length;
        }
        for (int i = 0; i < y.length; i++) {
            if (!(Math.abs(y[i] - expected[i]) <= ATOL + RTOL * Math.abs(expected[i]))) {
                return "value " + i + " is " + y[i] + ", expected " + expected[i];
            }
        }
        return null;
    }

    private static double[][] rows(float[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = flat[r * cols + c];
            }
        }
        return m;
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    // ---- swaps --------------------------------------------------------------------------------

    /** The (bundle, kind) pairs allowed now: a cpu bundle leaves only while the other one is active. */
    private List<String[]> choices() {
        List<String[]> choices = new ArrayList<>();
        for (String bsn : bundles.keySet()) {
            if (!active.get(bsn)) {
                choices.add(new String[] {bsn, Kind.START.name()});
                continue;
            }
            boolean mayLeave = switch (bsn) {
                case SIMD -> active.get(REFERENCE);
                case REFERENCE -> active.get(SIMD);
                default -> true;
            };
            if (mayLeave) {
                for (Kind kind : List.of(Kind.STOP, Kind.UPDATE, Kind.REINSTALL)) {
                    choices.add(new String[] {bsn, kind.name()});
                }
                if (bsn.equals(OPENCL_BSN)) {
                    choices.add(new String[] {bsn, Kind.FAIL.name()});
                }
            }
        }
        return choices;
    }

    private void swap(FrameworkWiring wiring, String bsn, Kind kind) throws Exception {
        Bundle b = bundles.get(bsn);
        switch (kind) {
            case STOP -> {
                b.stop();
                active.put(bsn, false);
                awaitGone(bsn);
            }
            case START -> {
                b.start();
                active.put(bsn, true);
                awaitPresent(bsn);
            }
            case UPDATE -> {
                keepWeakly(b, "update");
                b.update();
                refresh(wiring, List.of(b));
                awaitPresent(bsn);
            }
            case FAIL -> {
                assertEquals("backends of opencl:0 removed by fail()", 1, BackendRegistry.fail(OPENCL, "simulated by HotSwapSoakTest"));
                awaitGone(bsn);
                b.stop();
                b.start();
                awaitPresent(bsn);
            }
            case REINSTALL -> {
                keepWeakly(b, "uninstall");
                b.uninstall();
                refresh(wiring, List.of(b));
                awaitGone(bsn);
                Bundle fresh = context.installBundle(locations.get(bsn));
                fresh.start();
                bundles.put(bsn, fresh);
                awaitPresent(bsn);
            }
        }
    }

    private void keepWeakly(Bundle b, String why) {
        BundleWiring bw = b.adapt(BundleWiring.class);
        ClassLoader loader = bw == null ? null : bw.getClassLoader();
        if (loader != null) {
            oldLoaders.add(new WeakReference<>(loader));
            oldLoaderNames.add(b.getSymbolicName() + " #" + b.getBundleId() + " before " + why + " " + oldLoaders.size());
        }
    }

    private static void refresh(FrameworkWiring wiring, List<Bundle> which) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(which, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        if (!done.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the refresh of " + which + " did not finish in " + WAIT_MILLIS + " ms");
        }
    }

    private static String backendName(String bsn) {
        return switch (bsn) {
            case SIMD -> "cpu-simd";
            case REFERENCE -> "reference";
            default -> "opencl";
        };
    }

    private static boolean registered(String bsn) {
        String name = backendName(bsn);
        return BackendRegistry.backends().stream().map(RegisteredBackend::backend).anyMatch(b -> b.name().equals(name));
    }

    private void awaitPresent(String bsn) throws InterruptedException {
        await(bsn, true);
    }

    private void awaitGone(String bsn) throws InterruptedException {
        await(bsn, false);
    }

    private static void await(String bsn, boolean present) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (registered(bsn) != present) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("backend " + backendName(bsn) + " still " + (present ? "absent" : "present")
                        + " after " + WAIT_MILLIS + " ms; registered: " + BackendRegistry.backends());
            }
            Thread.sleep(5);
        }
    }

    private static void awaitCpuBackends(Set<String> names) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!BackendRegistry.backends().stream().map(r -> r.backend().name()).collect(Collectors.toSet()).containsAll(names)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("backends " + names + " not all registered: " + BackendRegistry.backends());
            }
            Thread.sleep(20);
        }
    }

    private static boolean awaitDevice(Device device, boolean present, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (BackendRegistry.hasBackend(device) != present) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }

    // ---- settling -----------------------------------------------------------------------------

    private static Map<Device, Long> nonZero(Map<Device, Long> bytes) {
        Map<Device, Long> m = new TreeMap<>(java.util.Comparator.comparing(Device::toString));
        bytes.forEach((d, b) -> {
            if (b != 0) {
                m.put(d, b);
            }
        });
        return m;
    }

    private static Map<Device, Long> pollUntilEqual(Map<Device, Long> baseline) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        Map<Device, Long> now = nonZero(Tensors.liveBytes());
        while (!now.equals(baseline) && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(100);
            now = nonZero(Tensors.liveBytes());
        }
        return now;
    }

    /** Polls until no more Java threads than the baseline (the compute pool lets idle workers go after 5 s). */
    private static int pollThreads(int baseline) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        int now = ManagementFactory.getThreadMXBean().getThreadCount();
        while (now > baseline && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            now = ManagementFactory.getThreadMXBean().getThreadCount();
        }
        return now;
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(t -> t.getName() + " (" + t.threadId() + ")")
                .collect(Collectors.toSet());
    }

    /** Collects garbage until every replaced revision's class loader is gone, or 20 s; returns the pinned ones. */
    private List<String> pollLoaders() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        List<String> pinned = pinnedLoaders();
        while (!pinned.isEmpty() && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(200);
            pinned = pinnedLoaders();
        }
        return pinned;
    }

    private List<String> pinnedLoaders() {
        List<String> pinned = new ArrayList<>();
        for (int i = 0; i < oldLoaders.size(); i++) {
            if (oldLoaders.get(i).get() != null) {
                pinned.add(oldLoaderNames.get(i));
            }
        }
        return pinned;
    }

    // ---- figures ------------------------------------------------------------------------------

    private static double ms(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    private static String jsonMap(Map<?, ?> map) {
        return map.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String jsonList(List<String> items) {
        return items.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return Thread.currentThread().getName() + ": " + w;
    }
}
