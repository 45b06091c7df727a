package ignis.tensor;

/** An op met a tensor placed {@link Placement#STRICT} whose device was lost. */
public final class DeviceLostException extends IllegalStateException {

    private final transient Device device;

    DeviceLostException(String message, Device device) {
        super(message);
        this.device = device;
    }

    /** The device that was lost. */
    public Device device() {
        return device;
    }
}
