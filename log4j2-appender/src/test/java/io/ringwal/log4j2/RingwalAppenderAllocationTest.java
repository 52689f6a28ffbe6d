package io.ringwal.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logging call through a synchronous logger into the appender allocates no object per call on the calling thread
 * once warm: Log4j2's garbage-free path (thread-local events, direct encoders, the millisecond clock) encodes
 * straight into the claimed ring slot. Measured with the JVM's per-thread allocation counter, so the journal's own
 * threads do not count (JMH {@code -prof gc} counts every thread: docs/LOGGING.md).
 */
class RingwalAppenderAllocationTest
{
    private static final int WARM_UP = 2_000_000;
    private static final int MEASURED = 200_000;

    @TempDir
    Path tmp;

    @Test
    void shouldAllocateNoObjectPerLogCallOnTheCallingThread() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().getId();
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal-bench.xml", tmp.resolve("journal"),
            Map.of());
        try
        {
            assertThat(System.getProperty("log4j2.clock")).as("Log4j2's clock, set by this module's surefire " +
                "configuration").isEqualTo("SystemMillisClock");
            final Logger logger = context.getLogger("io.ringwal.bench.Orders");
            final String symbol = "ABCD";
            for (int i = 0; i < WARM_UP; i++)
            {
                logger.info("order {} filled at the limit price", symbol);
            }
            final long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < MEASURED; i++)
            {
                logger.info("order {} filled at the limit price", symbol);
            }
            final long allocated = threads.getThreadAllocatedBytes(self) - before;
            System.out.printf("log4j2 appender: %d bytes allocated by the calling thread over %d calls%n",
                allocated, MEASURED);
            // an object per call would be at least 16 bytes a call; what remains is rare (about 0.03 bytes a call)
            assertThat(allocated).as("bytes allocated by the logging thread over %d calls", MEASURED)
                .isLessThan(MEASURED / 10);
        }
        finally
        {
            context.stop();
        }
    }
}
