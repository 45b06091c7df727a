package ignis.tensor;

import java.util.Locale;

/**
 * The element types of tensors, named as in PyTorch. float16 and bfloat16 are storage types: the
 * core computes on them in float32 and converts on the way in and out.
 */
public enum DType {
    BOOL(1, Category.BOOL),
    INT32(4, Category.INTEGRAL),
    INT64(8, Category.INTEGRAL),
    FLOAT16(2, Category.FLOATING),
    BFLOAT16(2, Category.FLOATING),
    FLOAT32(4, Category.FLOATING),
    FLOAT64(8, Category.FLOATING);

    /** PyTorch's kinds of dtypes, ordered: a kind further down wins in type promotion. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final int byteSize;
    private final Category category;

    DType(int byteSize, Category category) {
        this.byteSize = byteSize;
        this.category = category;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public Category category() {
        return category;
    }

    public boolean isFloatingPoint() {
        return category == Category.FLOATING;
    }

    public boolean isIntegral() {
        return category == Category.INTEGRAL;
    }

    /** Whether kernels compute on this type directly; float16 and bfloat16 are computed in float32. */
    public boolean isComputeType() {
        return this != FLOAT16 && this != BFLOAT16;
    }

    /** The type computations on this type run in: float32 for the 16-bit floats, else itself. */
    public DType computeType() {
        return isComputeType() ? this : FLOAT32;
    }

    /** PyTorch's name: {@code float32}, {@code int64}, {@code bool}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * PyTorch's {@code torch.promote_types}: the smallest type both values fit in, by category
     * (bool &lt; integral &lt; floating) and then by size; float16 with bfloat16 gives float32.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.category != b.category) {
            return a.category.compareTo(b.category) > 0 ? a : b;
        }
        if (a.category == Category.FLOATING && a.byteSize == 2 && b.byteSize == 2) {
            return FLOAT32;
        }
        return a.byteSize >= b.byteSize ? a : b;
    }

    /** Parses PyTorch's names ({@code float32}, {@code float}, {@code long}, {@code half}...). */
    public static DType of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "bool" -> BOOL;
            case "int32", "int" -> INT32;
            case "int64", "long" -> INT64;
            case "float16", "half" -> FLOAT16;
            case "bfloat16" -> BFLOAT16;
            case "float32", "float" -> FLOAT32;
            case "float64", "double" -> FLOAT64;
            default -> throw new IllegalArgumentException("unknown dtype '" + name
                    + "': expected one of bool, int32, int64, float16, bfloat16, float32, float64");
        };
    }
}
