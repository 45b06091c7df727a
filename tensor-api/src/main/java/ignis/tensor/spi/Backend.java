package ignis.tensor.spi;

import ignis.tensor.Device;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A compute backend: the kernels that run tensors on one device. Backends are registered as OSGi
 * services (Declarative Services components) and, off OSGi, found with {@link java.util.ServiceLoader}.
 * A backend of the {@code cpu} device computes on host memory that tensor-api owns; a backend of
 * another device also owns that device's memory and implements {@link DeviceBackend}.
 *
 * <p>What the core guarantees to every kernel, so that a backend needs no checks of its own:
 * <ul>
 * <li>All views are on this backend's device, have the same shape where an op works elementwise
 *     (broadcast operands have stride 0), and no view is empty: the core handles numel 0 itself.</li>
 * <li>dtypes are resolved by the op's {@link DTypeRule}: float16 and bfloat16 never reach a kernel
 *     except {@link #copy}; bool reaches only copy, fill, comparisons, logical ops, WHERE, MAX/MIN
 *     reductions, gather and scatter SET.</li>
 * <li>The output never overlaps an input, except that it may be the very same view as an input
 *     (an in-place op), and never has two elements at one address. Indices are in range.</li>
 * </ul>
 * Kernels may run asynchronously on a device; {@link #synchronize} waits for them.
 */
@ConsumerType
public interface Backend {

    /** A short name that says which implementation this is, such as {@code cpu-simd} or {@code reference}. */
    String name();

    /** The device this backend computes on. */
    Device device();

    /**
     * The backend's rank among those for the same device: the highest present backend runs the
     * kernels. The scalar reference backend ranks lowest.
     */
    int ranking();

    /** {@code dst = src} element by element, converting src's dtype to dst's; same shape, any strides. */
    void copy(TensorView dst, TensorView src);

    /** Sets every element of {@code out} to the value whose bit pattern is the low {@code out.dtype().byteSize()} bytes of {@code bits}. */
    void fill(TensorView out, long bits);

    /** Fills {@code out} with draws of {@code distribution}, element i from Philox counter {@code offset + i}. */
    void random(RandomDistribution distribution, TensorView out, double a, double b, long seed, long offset);

    void unary(UnaryOp op, TensorView out, TensorView in);

    void binary(BinaryOp op, TensorView out, TensorView a, TensorView b);

    void ternary(TernaryOp op, TensorView out, TensorView a, TensorView b, TensorView c);

    /** Reduces {@code in} over {@code axes} (ascending, distinct) into {@code out}, which has size 1 on those axes. */
    void reduce(ReduceOp op, TensorView out, TensorView in, int[] axes);

    /**
     * Batched matrix product: {@code out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]}, all of rank
     * >= 2 and one dtype (int32, int64, float32 or float64); batch dims already broadcast (stride 0
     * where an operand is repeated); transposes are just strides.
     */
    void matmul(TensorView out, TensorView a, TensorView b);

    /** {@code out[i][j][k] = in[i][index[i][j][k]][k]} for dim 1, and likewise for any dim; index is int64. */
    void gather(TensorView out, TensorView in, int dim, TensorView index);

    /** {@code out[i][index[i][j][k]][k] (=|+=) src[i][j][k]} for dim 1, and likewise for any dim; index is int64. */
    void scatter(ScatterMode mode, TensorView out, int dim, TensorView index, TensorView src);

    /** Waits until every kernel submitted so far has finished. Synchronous backends return at once. */
    default void synchronize() {
    }

    /**
     * An optional, faster kernel set (convolution, pooling, softmax), or null when this backend does not
     * provide it and the core composes the operation from the required kernels above.
     */
    default <T> T optional(Class<T> kernels) {
        return null;
    }
}
