/** The engine: graph nodes, the backward walk and the table of derivatives. */
package ignis.autograd.internal;
