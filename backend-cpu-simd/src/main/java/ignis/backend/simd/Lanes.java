package ignis.backend.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species the kernels compute with: one width for every element type. A backend instance
 * holds one and passes it to its kernel families.
 *
 * <p>How kernels use it, so that HotSpot keeps vectors in registers although the species is a field
 * rather than a constant: every vector comes from a memory load ({@code fromMemorySegment}) or from an
 * instance method of another vector, never from the static factories {@code zero(species)} and
 * {@code broadcast(species, x)}, whose results HotSpot cannot type when they meet loop-carried values
 * (measured: 8x slower); a zero vector is loaded from {@link #ZEROS}; the op switch sits inside the
 * loop body rather than in a helper method that takes or returns vectors. A JVM that uses one width
 * (production) then compiles each call site for one vector class, from the profile of the call inside the
 * Vector API, which the API's methods do not always have (cnf/compiler-directives.json keeps them from C2):
 * without it C2 compiles the API's Java fallback, as it did for GEMM's panel copy in 1 of 5 runs of
 * {@code ignis bench conv} (see GemmFloat.copy) and for its micro-kernel in about 1 of 12 runs of {@code ignis bench
 * gemm} (14-100 instead of 460 GFLOP/s), so a species that is a constant is the safer form; tests that run two widths in
 * one JVM compute the same values, only slower. To see which kernels lean on those profiles, run a benchmark with
 * {@code IGNIS_JAVA_OPTIONS='-XX:CompileCommand=CompileThresholdScaling,jdk.incubator.vector.*::*,0.0001'}: the API's
 * methods are then compiled before the interpreter profiles them.
 *
 * <p>A species read from a field is not a constant to HotSpot, so a loop that steps by its length is not
 * a counted loop: C2 neither unrolls it nor takes the bounds checks out of it ({@code ignis bench
 * elementwise --elements 65536} at 1 thread: add_ 3.6 us, relu_ 2.5 us; 2.1 and 1.3 us with a constant
 * species). The streaming loops of the elementwise, ReLU, Adam and softmax kernels (the {@code ...Loop} methods)
 * take their species as a parameter, and a method named {@code ...Vectors} calls each with the JVM's
 * choice, {@link VectorSupport#chosen()}, whose species are constants, when the lanes are those;
 * {@code cnf/jvm.options} inlines the {@code ...Loop} methods so that the constant reaches the loop, and
 * keeps each {@code ...Vectors} method a compilation of its own.
 */
record Lanes(VectorSpecies<Float> floats, VectorSpecies<Double> doubles) {

    /**
     * Zero bytes enough for two vectors of the widest shape (2048 bits): zero vectors are loaded from here,
     * and the GEMM kernels read a row of zeros of their tile's two vectors.
     */
    static final MemorySegment ZEROS = Arena.global().allocate(512, 64);

    /*
     * Every vector op inlines AbstractSpecies.dummyVector(), which makes a species' dummy vector on its
     * first use, in a branch that calls out of line. When a species is first used after the JIT has begun
     * profiling that branch (a byte mask late in a training step, say), later compilations keep the call
     * inside kernel loops, and HotSpot then keeps the loop's vectors on the stack across it: the GEMM
     * micro-kernel ran 4x slower in about half of the training runs (seen in its machine code). Making every
     * species' dummy here, before any kernel runs, keeps that branch untaken.
     */
    static {
        for (Class<?> element : new Class<?>[] {byte.class, short.class, int.class, long.class, float.class, double.class}) {
            for (VectorShape shape : VectorShape.values()) {
                VectorSpecies.of(element, shape).zero();
            }
        }
    }

    /**
     * Whether a whole vector of {@code species} at byte {@code offset} lies inside {@code segment}. Kernels
     * that need only some lanes load such a vector plainly and mask only at the segment's end: a masked load
     * that misses the cache does not bring the next lines in as a plain one does (2x2 max pooling of
     * 64x32x28x28 out of the cache at 2 threads: 770 us with masked loads, 231-247 us with plain ones).
     */
    static boolean wholeVector(MemorySegment segment, long offset, VectorSpecies<?> species) {
        return offset + species.vectorByteSize() <= segment.byteSize();
    }

    /** The lanes of one vector width: 128, 256 or 512 bits. */
    static Lanes ofBits(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width " + bits + " bits: expected 128, 256 or 512");
        }
        return of(VectorShape.forBitSize(bits));
    }

    /** The CPU's preferred width (what {@code FloatVector.SPECIES_PREFERRED} has). */
    static Lanes preferred() {
        return of(VectorShape.preferredShape());
    }

    private static Lanes of(VectorShape shape) {
        return new Lanes(VectorSpecies.of(float.class, shape), VectorSpecies.of(double.class, shape));
    }

    /**
     * Bytes with the float lane count (one bool per lane of a float vector: a comparison's results, a
     * WHERE's condition), or null where there is no such species (fewer than 8 lanes: 128-bit vectors).
     */
    VectorSpecies<Byte> boolsOfFloats() {
        int count = floats.length();
        return count >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(count * 8)) : null;
    }

    int bits() {
        return floats.vectorBitSize();
    }

    String describe() {
        return bits() + "-bit vectors (" + floats.length() + " float lanes, " + doubles.length() + " double lanes)";
    }
}
