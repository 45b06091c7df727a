package ignis.examples.serve;

import ignis.tck.api.ForwardingBackend;
import ignis.tensor.spi.Backend;

/** Another backend's kernels under a ranking one higher, so that registering it changes which backend runs. */
final class Outranking extends ForwardingBackend {

    Outranking(Backend backend) {
        super(backend);
    }

    @Override
    public String name() {
        return delegate.name() + "-outranking";
    }

    @Override
    public int ranking() {
        return delegate.ranking() + 1;
    }
}
