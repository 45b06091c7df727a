package ignis.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The contents of an IDX file: an element type, a shape, and the elements in row-major order as
 * stored (big-endian).
 */
public final class IdxArray {

    private final IdxType type;
    private final int[] shape;
    private final byte[] data;

    IdxArray(IdxType type, int[] shape, byte[] data) {
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
    }

    public IdxType type() {
        return type;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape. */
    public int size() {
        return data.length / type.size();
    }

    /** The elements' bytes as stored: row-major, big-endian. A copy. */
    public byte[] rawBytes() {
        return data.clone();
    }

    /** The stored bytes without a copy, for readers in this package that take ownership. */
    byte[] bytesUnsafe() {
        return data;
    }

    /** The elements as floats, converted from the stored type (unsigned bytes become 0..255). */
    public float[] toFloatArray() {
        float[] out = new float[size()];
        ByteBuffer buffer = bigEndian();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) value(buffer, i);
        }
        return out;
    }

    /**
     * The elements as ints, for the integer types (unsigned bytes become 0..255).
     *
     * @throws IllegalStateException for float and double files
     */
    public int[] toIntArray() {
        if (type == IdxType.FLOAT || type == IdxType.DOUBLE) {
            throw new IllegalStateException("an IDX array of " + type + " has no exact int values");
        }
        int[] out = new int[size()];
        ByteBuffer buffer = bigEndian();
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) value(buffer, i);
        }
        return out;
    }

    private ByteBuffer bigEndian() {
        return ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
    }

    /** Element {@code i}, exact: a double holds every value of every IDX type. */
    private double value(ByteBuffer buffer, int i) {
        return switch (type) {
            case UNSIGNED_BYTE -> data[i] & 0xFF;
            case SIGNED_BYTE -> data[i];
            case SHORT -> buffer.getShort(i * 2);
            case INT -> buffer.getInt(i * 4);
            case FLOAT -> buffer.getFloat(i * 4);
            case DOUBLE -> buffer.getDouble(i * 8);
        };
    }

    @Override
    public String toString() {
        return "IdxArray[" + type + " " + Arrays.toString(shape) + "]";
    }
}
