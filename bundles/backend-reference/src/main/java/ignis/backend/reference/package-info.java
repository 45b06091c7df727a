/**
 * The reference backend: plain scalar kernels for the {@code cpu} device that implement exactly the
 * required primitives of {@link ignis.tensor.spi.Backend}. It is the executable specification of the
 * SPI and the example a backend author starts from; it favours the exactly right answer over speed
 * and ranks lowest, so any faster cpu backend replaces it.
 *
 * <p>Reading order: {@link ignis.backend.reference.ReferenceBackend} (the service),
 * {@link ignis.backend.reference.IndexWalk} and {@link ignis.backend.reference.HostTensor} (how every
 * kernel visits and converts elements), then one class per kernel family.
 *
 * <p>Not exported: the backend is reached only as a {@code Backend} service.
 */
package ignis.backend.reference;
