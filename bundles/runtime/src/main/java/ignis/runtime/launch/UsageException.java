package ignis.runtime.launch;

/** A command line the launcher cannot run; its message is one line for the user, and the exit status is 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
