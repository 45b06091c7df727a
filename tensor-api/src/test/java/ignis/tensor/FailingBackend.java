package ignis.tensor;

/** A provider whose construction fails, as a backend does when its native library is missing. */
public final class FailingBackend extends ClassPathBackendBase {
    public FailingBackend() {
        throw new UnsatisfiedLinkError("no native library for the failing test backend");
    }
}
