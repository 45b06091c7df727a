/** Device events of the tensor API, posted to the OSGi Event Admin. */
package ignis.runtime.events;
