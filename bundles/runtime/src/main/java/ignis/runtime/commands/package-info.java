/** The {@code ignis:*} Gogo commands, as Declarative Services components. */
package ignis.runtime.commands;
