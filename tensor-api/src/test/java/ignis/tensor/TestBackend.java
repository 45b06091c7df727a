package ignis.tensor;

import ignis.tensor.spi.Backend;

record TestBackend(String name, Device device, int ranking) implements Backend {
}
