package io.ringwal.log4j2.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.IoUtil;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.util.Unbox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One logging call through a synchronous Log4j2 logger into the Ringwal appender, configured from
 * {@code log4j2-ringwal-bench.xml} (layout {@code %d %p %c [%t] %m%n}, force policy {@code never}): a constant
 * 100-byte message, and a parameterised message with two primitive arguments (through {@link Unbox}, Log4j2's
 * garbage-free boxing). With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per call on the
 * logging thread: 0 in steady state. Run with {@code log4j2-appender/bin/jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g",
    "-Dlog4j2.enableThreadlocals=true", "-Dlog4j2.enableDirectEncoders=true", "-Dlog4j2.isWebapp=false"})
public class Log4jAppenderBenchmark
{
    /** A 100-byte message. */
    static final String MESSAGE = "order 0123456789 filled: 100 shares of RWAL at 42.17 on venue XNAS, " +
        "latency budget ok, id 7f3a9c0b1d";

    private Path dir;
    private LoggerContext context;
    private Logger logger;
    private long counter;

    /**
     * Starts the Log4j2 context on a fresh journal directory.
     *
     * @throws Exception if the directory cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        if (MESSAGE.length() != 100)
        {
            throw new IllegalStateException("message is " + MESSAGE.length() + " bytes");
        }
        final Path parent = Files.createDirectories(Path.of(System.getProperty("ringwal.bench.dir", "ringwal-data")));
        dir = Files.createTempDirectory(parent.toAbsolutePath(), "log4j2-bench-");
        System.setProperty("ringwal.dir", dir.resolve("journal").toString());
        context = new LoggerContext("bench", null, config());
        context.start();
        logger = context.getLogger("io.ringwal.bench.Orders");
    }

    private static java.net.URI config() throws URISyntaxException
    {
        return Log4jAppenderBenchmark.class.getResource("/log4j2-ringwal-bench.xml").toURI();
    }

    /** Stops the context (drains the ring) and deletes the journal. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        context.stop();
        IoUtil.delete(dir.toFile(), true);
    }

    /** One call, constant 100-byte message, one thread. */
    @Benchmark
    public void constantMessage()
    {
        logger.info(MESSAGE);
    }

    /** One call, constant 100-byte message, four threads. */
    @Benchmark
    @Threads(4)
    public void constantMessage4Threads()
    {
        logger.info(MESSAGE);
    }

    /** One call, a parameterised message with two primitive arguments (about 100 bytes formatted). */
    @Benchmark
    public void parameterisedMessage()
    {
        final long id = counter++;
        logger.info("order {} filled: 100 shares of RWAL at 42.17 on venue XNAS, latency budget ok, seq {}",
            Unbox.box(id), Unbox.box(id & 1023));
    }
}
