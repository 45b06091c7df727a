package ignis.backend.simd;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Decides once per JVM whether and how this backend vectorizes, in the manner of Apache Lucene's
 * {@code VectorizationProvider}: it checks that the incubator module {@code jdk.incubator.vector} is
 * readable before any class that uses it is touched, chooses the vector width (the CPU's preferred
 * one, or the one forced with {@code -Dignis.simd.bits=128|256|512}) and logs the choice once with
 * {@link System.Logger}.
 *
 * <p>This class itself mentions no type of {@code jdk.incubator.vector}, so it loads on any JVM; the
 * species live in {@link Lanes}, which is loaded only after the check passed. Where the module is
 * missing, {@link #lanes()} throws, and so does {@link SimdBackend}'s constructor: ServiceLoader turns
 * that into a {@link java.util.ServiceConfigurationError}, which the registry skips, falling back to
 * the reference backend.
 */
final class VectorSupport {

    /** The system property that forces a vector width in bits: 128, 256 or 512. */
    static final String BITS_PROPERTY = "ignis.simd.bits";

    static final String MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger(SimdBackend.class.getName());

    private VectorSupport() {
    }

    /** Why the Vector API cannot be used by this class's module, or empty when it can. */
    static Optional<String> unavailableReason() {
        Optional<Module> vector = ModuleLayer.boot().findModule(MODULE);
        if (vector.isEmpty()) {
            return Optional.of("the module " + MODULE + " is not in the boot layer: start the JVM with --add-modules "
                    + MODULE + " (see cnf/jvm.options)");
        }
        Module self = VectorSupport.class.getModule();
        if (!self.canRead(vector.get())) {
            return Optional.of(self + " cannot read the module " + MODULE + ": add 'requires " + MODULE
                    + "' or start the JVM with --add-reads");
        }
        return Optional.empty();
    }

    /**
     * The lanes this JVM's backend computes with, chosen and logged on first use.
     *
     * @throws UnsupportedOperationException when the Vector API is not readable, with the reason
     */
    static Lanes lanes() {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            Unavailable.log(reason.get());
            throw new UnsupportedOperationException("cpu-simd backend unavailable: " + reason.get());
        }
        return Chosen.LANES;
    }

    /** The width that {@code -Dignis.simd.bits} asks for, or 0 for the preferred one; bad values are logged and ignored. */
    static int requestedBits(String value, int preferredBits) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        int bits;
        try {
            bits = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "ignoring -D" + BITS_PROPERTY + "=" + value + ": not a number; expected 128, 256 or 512");
            return 0;
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            LOG.log(Level.WARNING, "ignoring -D" + BITS_PROPERTY + "=" + value + ": expected 128, 256 or 512");
            return 0;
        }
        if (bits > preferredBits) {
            // Wider than the hardware: the Vector API would emulate it in plain Java, far slower than scalar code.
            LOG.log(Level.WARNING, "ignoring -D" + BITS_PROPERTY + "=" + value + ": this CPU's vectors have "
                    + preferredBits + " bits");
            return 0;
        }
        return bits;
    }

    /**
     * The lanes of {@link #lanes()} without its check, for kernels that compare their own with them: a constant
     * to the JIT once the choice is made (see {@link Lanes}). Only for code that runs after {@link #lanes()}.
     */
    static Lanes chosen() {
        return Chosen.LANES;
    }

    /** The one-time choice; a holder class, so that nothing of the Vector API loads before the check. */
    private static final class Chosen {

        static final Lanes LANES = choose();

        private static Lanes choose() {
            Lanes preferred = Lanes.preferred();
            int forced = requestedBits(System.getProperty(BITS_PROPERTY), preferred.bits());
            Lanes lanes = forced == 0 ? preferred : Lanes.ofBits(forced);
            String why = forced == 0 ? "preferred by this CPU" : "forced by -D" + BITS_PROPERTY + "=" + forced;
            LOG.log(Level.INFO, "cpu-simd backend uses " + lanes.describe() + ", " + why);
            return lanes;
        }
    }

    /** Logs the reason the Vector API is missing once, however often the backend is instantiated. */
    private static final class Unavailable {

        private static volatile boolean logged;

        static void log(String reason) {
            if (!logged) {
                logged = true;
                LOG.log(Level.WARNING, "cpu-simd backend disabled: " + reason);
            }
        }
    }
}
