package ignis.examples.serve;

/** A request the service refuses: the 4xx status to answer with, and a message naming what is wrong. */
final class RequestException extends RuntimeException {

    private final int status;

    RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
