package ignis.io;

import java.io.IOException;

/**
 * A safetensors file that breaks the format: the message names the file, the tensor or field, and
 * the byte offset of the problem where there is one.
 */
public final class SafeTensorsFormatException extends IOException {
    public SafeTensorsFormatException(String message) {
        super(message);
    }
}
