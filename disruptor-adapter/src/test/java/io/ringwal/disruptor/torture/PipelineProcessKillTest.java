package io.ringwal.disruptor.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.JournalWriter;
import io.ringwal.journal.RecoveryReport;
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;

/**
 * Process kill through the whole pipeline. A child JVM ({@link PipelineKillChild}) runs a {@link
 * io.ringwal.disruptor.JournalPipeline} with four producers at full speed and streams the acknowledgements it
 * received; the parent kills it with SIGKILL at a random moment (sometimes while it is still opening and
 * recovering the journal), reopens the journal and checks:
 * <ul>
 *     <li>every sequence acknowledged durable (listener or awaitDurable) and every sequence reported written is
 *     present: the page cache survives a process kill, so under every policy, never included, nothing written
 *     may be lost;</li>
 *     <li>recovered sequences run without a gap from the first retained record, and the reader (which checks
 *     every CRC) returns nothing with a bad CRC;</li>
 *     <li>every record is byte-identical to what its producer published, and each producer's counters run
 *     without a gap or a duplicate across all kills: nothing invented, nothing lost from the middle;</li>
 *     <li>the next child's first record gets last + 1.</li>
 * </ul>
 * The same journal goes on from child to child, the force policy changing from one child to the next.
 */
class PipelineProcessKillTest
{
    private static final int SEGMENT = 1024 * 1024;
    private static final int PRODUCERS = 4;
    private static final String[] POLICIES = {"every-batch", "never", "bounded:5ms:262144"};

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingAcknowledgedAcrossThirtyKills() throws Exception
    {
        run(30, 400, System.nanoTime());
    }

    @Test
    @Tag("slow")
    void shouldLoseNothingAcknowledgedAcrossFiveHundredKills() throws Exception
    {
        run(500, 1000, System.nanoTime());
    }

    /** What the parent knows between children. */
    private static final class State
    {
        final long[] nextCounter = new long[PRODUCERS];
        long checkedUpTo = -1;
        long records;
        long maxAckDurable = -1;
        long maxAckWritten = -1;
    }

    private void run(final int kills, final int maxLifeMillis, final long seed) throws Exception
    {
        // the parent recovers a torn tail after every kill, on purpose: keep the log to warnings
        final Logger logger = Logger.getLogger("io.ringwal");
        final Level previous = logger.getLevel();
        logger.setLevel(Level.WARNING);
        try
        {
            runKills(kills, maxLifeMillis, seed);
        }
        finally
        {
            logger.setLevel(previous);
        }
    }

    private void runKills(final int kills, final int maxLifeMillis, final long seed) throws Exception
    {
        final Random random = new Random(seed);
        final State state = new State();
        int startsKilledBeforeStart = 0;
        long acknowledgedDurable = 0;
        for (int kill = 0; kill < kills; kill++)
        {
            final String policy = POLICIES[kill % POLICIES.length];
            final AtomicLong durable = new AtomicLong(-1);
            final AtomicLong written = new AtomicLong(-1);
            final AtomicLong start = new AtomicLong(-1);
            final AtomicReference<String> error = new AtomicReference<>();
            final CountDownLatch started = new CountDownLatch(1);
            final String[] args = new String[3 + PRODUCERS];
            args[0] = dir.toString();
            args[1] = policy;
            args[2] = Integer.toString(SEGMENT);
            for (int p = 0; p < PRODUCERS; p++)
            {
                args[3 + p] = Long.toString(state.nextCounter[p]);
            }
            final boolean early = random.nextInt(10) == 0;
            try (ChildProcess child = ChildProcess.start(PipelineKillChild.class, line ->
            {
                final int space = line.indexOf(' ');
                final String kind = space > 0 ? line.substring(0, space) : line;
                switch (kind)
                {
                    case "START" ->
                    {
                        start.set(Long.parseLong(line.substring(space + 1)));
                        started.countDown();
                    }
                    case "D", "A" -> durable.accumulateAndGet(Long.parseLong(line.substring(space + 1)), Math::max);
                    case "W" -> written.accumulateAndGet(Long.parseLong(line.substring(space + 1)), Math::max);
                    default ->
                    {
                        // log lines (recovery reports a torn tail) are fine; a producer's error is not
                        if (line.startsWith("ERROR") || line.startsWith("Exception in thread"))
                        {
                            error.compareAndSet(null, line);
                        }
                    }
                }
            }, args))
            {
                if (early)
                {
                    // a kill while the child JVM starts, opens or recovers the journal
                    Thread.sleep(random.nextInt(600));
                }
                else
                {
                    assertThat(started.await(60, TimeUnit.SECONDS)).as("child %d started", kill).isTrue();
                    Thread.sleep(1 + random.nextInt(maxLifeMillis));
                }
                assertThat(child.isAlive()).as("child %d is alive until killed (%s)", kill, error.get()).isTrue();
                child.kill();
            }
            assertThat(error.get()).as("child %d printed an unexpected line", kill).isNull();
            if (start.get() < 0)
            {
                startsKilledBeforeStart++;
            }
            else
            {
                assertThat(start.get()).as("child %d continued at last + 1", kill).isEqualTo(state.checkedUpTo + 1);
            }
            acknowledgedDurable += Math.max(0, durable.get() - state.checkedUpTo);
            state.maxAckDurable = Math.max(state.maxAckDurable, durable.get());
            state.maxAckWritten = Math.max(state.maxAckWritten, written.get());
            recoverAndCheck(state, kill, policy);
        }
        final VerifyReport report = JournalVerifier.verify(dir);
        assertThat(report.damage()).as("verify after the last kill: %s", report).isNull();
        if (report.records() > 0)
        {
            assertThat(report.lastSequence()).as("last sequence after the last kill: %s (seed %d)", report, seed)
                .isEqualTo(state.checkedUpTo);
        }
        else
        {
            // the last child was killed right after a rotation, and the checks deleted every segment below the
            // checked prefix: only the new, empty segment is left, and it starts right after the checked prefix
            final List<Path> segments = report.segmentFiles();
            assertThat(segments).as("after the last kill: %s (seed %d)", report, seed).hasSize(1);
            assertThat(SegmentFileNames.baseSequence(segments.get(0))).as("%s (seed %d)", report, seed)
                .isEqualTo(state.checkedUpTo + 1);
        }
        System.out.printf("pipeline kill torture: %d kills (%d before START), %d records checked, " +
            "%d acknowledged durable, last sequence %d, failures: 0 (seed %d)%n", kills, startsKilledBeforeStart,
            state.records, acknowledgedDurable, state.checkedUpTo, seed);
    }

    private void recoverAndCheck(final State state, final int kill, final String policy)
    {
        final long last;
        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(SEGMENT)
            .maxRecordSize(4096).build()))
        {
            final RecoveryReport report = writer.recoveryReport();
            last = report.lastSequence();
            assertThat(last).as("kill %d (%s): every acknowledged durable record survived; %s", kill, policy, report)
                .isGreaterThanOrEqualTo(state.maxAckDurable);
            assertThat(last).as("kill %d (%s): every written record survived a process kill; %s", kill, policy,
                report).isGreaterThanOrEqualTo(state.maxAckWritten);
            assertThat(last).as("kill %d: records checked after an earlier kill are still there", kill)
                .isGreaterThanOrEqualTo(state.checkedUpTo);
            // keep the disk use bounded: records before the checked prefix were verified already
            writer.deleteSegmentsBelow(state.checkedUpTo + 1);
        }
        final long from = state.checkedUpTo + 1;
        final long[] expected = {from};
        final long[] counters = Arrays.copyOf(state.nextCounter, PRODUCERS);
        final List<String> problems = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir, from))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                if (sequence != expected[0])
                {
                    problems.add("sequence " + sequence + " where " + expected[0] + " was expected");
                }
                expected[0] = sequence + 1;
                final String bad = TortureRecords.check(sequence, buffer, offset, length, PRODUCERS);
                if (bad != null)
                {
                    problems.add(bad);
                    return;
                }
                final int producer = TortureRecords.producer(buffer, offset);
                final long counter = TortureRecords.counter(buffer, offset);
                if (counter != counters[producer])
                {
                    problems.add("sequence " + sequence + ": producer " + producer + " counter " + counter +
                        " where " + counters[producer] + " was next");
                }
                counters[producer] = counter + 1;
            }, 4096) > 0 && problems.size() < 10)
            {
                // drain
            }
        }
        assertThat(problems).as("kill %d (%s)", kill, policy).isEmpty();
        assertThat(expected[0] - 1).as("kill %d: the reader sees exactly what recovery kept", kill).isEqualTo(last);
        state.records += last - state.checkedUpTo;
        state.checkedUpTo = last;
        System.arraycopy(counters, 0, state.nextCounter, 0, PRODUCERS);
    }
}
