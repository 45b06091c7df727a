/**
 * The OpenCL backend: one device per OpenCL device found.
 * A provider of the backend SPI; it exports nothing.
 */
package ignis.backend.opencl;
