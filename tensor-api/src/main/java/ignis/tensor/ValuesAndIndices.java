package ignis.tensor;

/** The result of {@code max(dim)} and {@code min(dim)}: the extreme values and their int64 indices. */
public record ValuesAndIndices(Tensor values, Tensor indices) implements AutoCloseable {

    @Override
    public void close() {
        values.close();
        indices.close();
    }
}
