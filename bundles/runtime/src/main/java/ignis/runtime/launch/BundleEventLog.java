package ignis.runtime.launch;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/** Tells the operator, one line each, when a bundle from the deploy folder is installed, updated or uninstalled. */
final class BundleEventLog implements BundleListener {

    private static final System.Logger LOG = System.getLogger("ignis.runtime");

    private final String deployLocation;

    BundleEventLog(Path deploy) {
        // FileInstall names its bundles by java.io.File URIs: file:/dir/x.jar
        this.deployLocation = deploy.toFile().toURI().toString();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (!bundle.getLocation().startsWith(deployLocation)) {
            return;
        }
        String what = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "installed";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.UNINSTALLED -> "uninstalled";
            default -> null;
        };
        if (what != null) {
            LOG.log(Level.INFO, what + " " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + " (" + bundle.getLocation().substring(deployLocation.length()) + ")");
        }
    }
}
