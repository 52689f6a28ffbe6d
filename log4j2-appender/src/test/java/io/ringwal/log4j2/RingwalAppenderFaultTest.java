package io.ringwal.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.logging.LogJournal;
import io.ringwal.logging.testing.JournalLines;
import io.ringwal.testing.Mounts;

/**
 * Faults from real configurations: a full disk, two appenders on one directory, a bad attribute. None may throw
 * into the logging thread or block it.
 */
class RingwalAppenderFaultTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldReportAFullDiskOnceToTheErrorHandlerAndCountEveryRefusedLineWithoutThrowing() throws Exception
    {
        Mounts.requireRoot("Log4j2 appender disk-full test (loop-mounted ext4)");
        final Path image = tmp.resolve("disk.img");
        final Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Mounts.mountExt4(image, 8L * 1024 * 1024, mount);
        try (Log4jContexts.StatusErrors errors = new Log4jContexts.StatusErrors())
        {
            final Path dir = mount.resolve("journal");
            final LoggerContext context = Log4jContexts.start("log4j2-ringwal.xml", dir,
                Map.of("ringwal.segmentSize", "256KiB", "ringwal.forcePolicy", "every-batch"));
            final LogJournal journal = Log4jContexts.appender(context, "journal").journal();
            final Logger logger = context.getLogger("app");
            final String body = "y".repeat(900);
            long slowest = 0;
            int i = 0;
            for (; i < 200_000 && journal.failedLines() < 1000; i++)
            {
                final long start = System.nanoTime();
                logger.info("{} {}", i, body);
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            assertThat(journal.failure()).as("the 8 MiB disk never filled").isNotNull();
            assertThat(journal.failedLines()).isEqualTo(1000);
            assertThat(slowest).as("no call blocks").isLessThan(TimeUnit.SECONDS.toNanos(5));
            context.stop();
            assertThat(errors.count("failed, no line is written after this")).as(errors.messages().toString())
                .isEqualTo(1);
            assertThat(String.join("\n", errors.messages())).contains("no space left on device in ").contains("next segment of 262144 bytes could not be allocated");
        }
        finally
        {
            Mounts.unmount(mount);
        }
    }

    @Test
    void shouldRefuseASecondAppenderOnTheSameDirectoryWithTheLockError()
    {
        final Path dir = tmp.resolve("shared");
        try (Log4jContexts.StatusErrors errors = new Log4jContexts.StatusErrors())
        {
            final LoggerContext context = Log4jContexts.start("log4j2-ringwal-two-on-one-directory.xml", dir, Map.of());
            try
            {
                assertThat(Log4jContexts.appender(context, "first").isStarted()).isTrue();
                assertThat(Log4jContexts.appender(context, "second").isStarted()).isFalse();
                final Logger logger = context.getLogger("app");
                for (int i = 0; i < 10; i++)
                {
                    logger.info("{}", i);
                }
            }
            finally
            {
                context.stop();
            }
            assertThat(errors.count("is already written by appender 'first'")).isPositive();
        }
        final List<String> lines = JournalLines.read(dir);
        assertThat(lines).hasSize(10).allSatisfy(line -> assertThat(line).startsWith("first "));
    }

    @Test
    void shouldNameTheBadAttributeAndNotStartTheAppender()
    {
        try (Log4jContexts.StatusErrors errors = new Log4jContexts.StatusErrors())
        {
            final LoggerContext context = Log4jContexts.start("log4j2-ringwal-bad-attribute.xml",
                tmp.resolve("bad"), Map.of());
            try
            {
                assertThat(context.getConfiguration().<RingwalAppender>getAppender("journal")).isNull();
                context.getLogger("app").info("goes nowhere, throws nothing");
            }
            finally
            {
                context.stop();
            }
            assertThat(errors.count("forcePolicy: force policy 'sometimes' is not one of")).isPositive();
        }
    }
}
