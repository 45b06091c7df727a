package ignis.examples.serve;

/**
 * A request the service does not serve: the status to answer with (4xx, or 503 while it cannot serve
 * any), and a message naming what is wrong.
 */
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
