package io.ringwal.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.logging.testing.KillNine;

/**
 * kill -9 of a child JVM logging at full speed from 4 threads through a real {@code log4j2.xml}: with
 * {@code never}, every line written into the journal before the kill is there after recovery; in durable mode
 * with {@code every-batch}, every line whose logging call had returned is there. Each thread's lines are always a
 * gap-free prefix, in order.
 */
class RingwalAppenderKillNineTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldKeepEveryWrittenLineWhenKilledWithForcePolicyNever() throws Exception
    {
        final KillNine.Verdict verdict = KillNine.run(KillNineLog4jMain.class,
            List.of("-Dringwal.forcePolicy=never"), tmp.resolve("never"), 1500);
        System.out.println("kill -9, never: " + verdict);
        assertThat(verdict.linesAfterRecovery).isPositive();
    }

    @Test
    void shouldKeepEveryReturnedLineWhenKilledInDurableModeWithEveryBatch() throws Exception
    {
        final KillNine.Verdict verdict = KillNine.run(KillNineLog4jMain.class,
            List.of("-Dringwal.forcePolicy=every-batch", "-Dringwal.durable=true"), tmp.resolve("durable"), 1500);
        System.out.println("kill -9, durable every-batch: " + verdict);
        assertThat(verdict.acknowledged).isNotEmpty();
    }

    @Test
    @Tag("slow")
    void shouldKeepEveryReturnedLineOverTwentyKills() throws Exception
    {
        for (int i = 0; i < 10; i++)
        {
            KillNine.run(KillNineLog4jMain.class, List.of("-Dringwal.forcePolicy=never"),
                tmp.resolve("never-" + i), 300 + 100 * i);
            KillNine.run(KillNineLog4jMain.class,
                List.of("-Dringwal.forcePolicy=every-batch", "-Dringwal.durable=true"), tmp.resolve("durable-" + i),
                300 + 100 * i);
        }
    }
}
