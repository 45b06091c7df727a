package ignis.data;

import java.io.IOException;

/** An IDX file that is not what its header says: the message names the file and the byte offset. */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
