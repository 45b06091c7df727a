package ignis.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The runtime posts the tensor API's device events to the Event Admin, where any bundle can hear them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DeviceEventAdminTest {

    private static final long WAIT_MILLIS = 10_000;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return RuntimeBundles.options(Files.createTempDirectory("ignis-itest-deploy-"));
    }

    @Test
    public void aHandlerHearsTheReferenceBackendLeaveWhenItsBundleStopsAndArriveWhenItStarts() throws Exception {
        BlockingQueue<Event> heard = new LinkedBlockingQueue<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, "ignis/device/*");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, heard::add, topics);
        try {
            Bundle reference = RuntimeBundles.installed(context, "ignis.backend.reference");
            reference.stop();
            Event lost = awaitFromReference(heard, "ignis/device/LOST");
            assertEquals("cpu", lost.getProperty("device"));
            assertEquals("backend reference left", lost.getProperty("reason"));

            reference.start();
            Event added = awaitFromReference(heard, "ignis/device/ADDED");
            assertEquals("cpu", added.getProperty("device"));
            assertEquals(0L, added.getProperty("tensors"));
        } finally {
            handler.unregister();
        }
    }

    /** The next event on the topic about the reference backend; events of other backends may come between. */
    private static Event awaitFromReference(BlockingQueue<Event> heard, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (true) {
            Event event = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull("no event on " + topic + " from the reference backend within " + WAIT_MILLIS + " ms", event);
            if (event.getTopic().equals(topic) && "reference".equals(event.getProperty("backend"))) {
                return event;
            }
        }
    }
}
