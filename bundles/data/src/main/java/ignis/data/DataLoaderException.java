package ignis.data;

/**
 * A batch could not be made: the data set or the collate function failed (the cause, thrown on a
 * worker thread or on the caller's), or the thread waiting for the batch was interrupted (the cause
 * is the {@link InterruptedException}, and the thread's interrupt flag is set again). The iterator
 * that threw it is closed.
 */
public final class DataLoaderException extends RuntimeException {

    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
