package ignis.data;

/** The element types of the IDX format, with their type codes and sizes in bytes. */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int size;

    IdxType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The type for a code, or null when the code is not an IDX type. */
    static IdxType ofCode(int code) {
        for (IdxType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
