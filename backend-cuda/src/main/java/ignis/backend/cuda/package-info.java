/**
 * The CUDA backend: one device per NVIDIA GPU.
 * A provider of the backend SPI; it exports nothing.
 */
package ignis.backend.cuda;
