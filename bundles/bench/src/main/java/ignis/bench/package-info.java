/** JMH benchmarks: run with {@code java @cnf/jvm.options -cp ... org.openjdk.jmh.Main}. */
package ignis.bench;
