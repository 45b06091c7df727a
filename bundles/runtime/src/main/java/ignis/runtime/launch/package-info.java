/**
 * The embedded Apache Felix launcher: starts the framework with Declarative Services, Gogo and
 * FileInstall, installs the infrastructure bundles, and watches the deploy folder. It runs on the
 * plain class path, beside the framework, and uses only the standard OSGi launch API.
 */
package ignis.runtime.launch;
