package io.ringwal.log4j2;

import java.nio.file.Path;
import java.util.Map;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;

import io.ringwal.logging.LogJournal;
import io.ringwal.logging.testing.KillNine;

/**
 * The child JVM of {@link RingwalAppenderKillNineTest}: logs at full speed through {@code log4j2-ringwal.xml}
 * from 4 threads until killed. System properties {@code ringwal.forcePolicy} and {@code ringwal.durable}
 * configure the appender.
 */
public final class KillNineLog4jMain
{
    private KillNineLog4jMain()
    {
    }

    /**
     * Runs the child.
     *
     * @param args the journal directory.
     * @throws Exception never in practice.
     */
    public static void main(final String[] args) throws Exception
    {
        final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", Path.of(args[0]), Map.of());
        final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
        final Logger logger = context.getLogger("app");
        KillNine.childMain(4, journal.config().durable(), i -> logger.info("{}", i),
            () -> journal.pipeline().writtenSequence() + 1);
    }
}
