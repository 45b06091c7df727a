package ignis.tensor.spi;

/** How scatter combines a source element with the element already in the output. */
public enum ScatterMode {
    /** Replace it; where indices repeat, any one of the sources wins. */
    SET,
    /** Add to it; repeated indices accumulate. */
    ADD
}
