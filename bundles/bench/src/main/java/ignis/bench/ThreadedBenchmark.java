package ignis.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JMH benchmarks of this package that take a thread count share (JMH reads the annotations of a
 * superclass; a subclass's own override them): a state per benchmark thread, the average time of a call in
 * microseconds over 3 warm-up and 5 measured iterations of a second, one fork (which runs with the flags of
 * the JVM that launched it: {@code java @cnf/jvm.options ...}), and the compute threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class ThreadedBenchmark {

    /** Compute threads (Tensors.setNumThreads), the caller's included. */
    @Param({"1", "2"})
    public int threads;
}
