/**
 * The CPU backend built on the Vector API: the default device's fast kernels.
 * A provider of the backend SPI; it exports nothing.
 */
package ignis.backend.simd;
