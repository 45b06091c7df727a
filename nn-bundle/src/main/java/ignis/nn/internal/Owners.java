package ignis.nn.internal;

import ignis.tensor.Tensor;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * How many module slots hold each parameter handle, so that a parameter shared between modules (tied
 * weights) is closed by the last of them. Tensors compare by identity.
 */
public final class Owners {

    private static final Map<Tensor, int[]> COUNTS = new WeakHashMap<>();

    private Owners() {
    }

    /** Whether {@code t} is a parameter handle that some module holds. */
    public static synchronized boolean isParameter(Tensor t) {
        return COUNTS.containsKey(t);
    }

    /** One more module slot holds {@code p}. */
    public static synchronized void acquire(Tensor p) {
        COUNTS.computeIfAbsent(p, k -> new int[1])[0]++;
    }

    /** One module slot less holds {@code p}; the last one closes it and its gradient. */
    public static void release(Tensor p) {
        synchronized (Owners.class) {
            int[] count = COUNTS.get(p);
            if (count != null && --count[0] > 0) {
                return;
            }
            COUNTS.remove(p);
        }
        Tensor grad = p.grad();
        if (grad != null) {
            p.setGrad(null);
            grad.close();
        }
        p.close();
    }
}
