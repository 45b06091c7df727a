package ignis.backend.reference;

/**
 * Visits every multi-index of a shape in row-major order, the last axis fastest: the one loop that
 * every kernel of this backend is written with. A shape of rank 0 has exactly one index (the empty
 * one); a shape with a size of 0 has none.
 *
 * <pre>{@code
 * IndexWalk walk = new IndexWalk(shape);
 * while (walk.next()) {
 *     long[] index = walk.index();
 *     ...
 * }
 * }</pre>
 */
final class IndexWalk {

    private final long[] shape;
    private final long[] index;
    private boolean started;
    private boolean finished;

    IndexWalk(long[] shape) {
        this.shape = shape;
        this.index = new long[shape.length];
        for (long size : shape) {
            if (size == 0) {
                finished = true;
            }
        }
    }

    /** Moves to the next index (the first one on the first call); false when there is none left. */
    boolean next() {
        if (finished) {
            return false;
        }
        if (!started) {
            started = true;
            return true;
        }
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis]++;
            if (index[axis] < shape[axis]) {
                return true;
            }
            index[axis] = 0;
        }
        finished = true;
        return false;
    }

    /** The current index. The array is reused by {@link #next}: read it, do not keep or modify it. */
    long[] index() {
        return index;
    }
}
