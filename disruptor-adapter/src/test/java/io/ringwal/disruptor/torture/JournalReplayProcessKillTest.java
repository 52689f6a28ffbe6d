package io.ringwal.disruptor.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.lmax.disruptor.dsl.ProducerType;

import io.ringwal.journal.JournalReader;
import io.ringwal.testing.JournalFiles;

/**
 * Restart replay after a process kill: a child JVM ({@link ReplayKillChild}) runs a journaller and a ledger that
 * snapshots itself every thousand trades; the parent kills it with SIGKILL mid-stream, after its ledger applied a
 * few thousand trades (its snapshot shows them; in the longer run every third kill lands at any moment, also
 * during a restart's recovery or replay), and starts it again, which restores the snapshot, replays the
 * journal after it into the same handlers and goes on live with the rest of the input. After the last child
 * finishes, its ledger must equal the ledger of a run without a crash over the same input, and the journal must
 * hold every trade exactly once, in each producer's order.
 */
class JournalReplayProcessKillTest
{
    /** On tmpfs when there is one: a process kill leaves the page cache, so forces need not cost anything. */
    private final Path work = JournalFiles.fastTempDir("ringwal-replay-kill");
    private final Path journal = work.resolve("journal");

    @AfterEach
    void deleteWork()
    {
        JournalFiles.deleteTree(work);
    }

    @ParameterizedTest
    @EnumSource(ProducerType.class)
    void shouldRebuildTheStateOfARunWithoutACrashAfterKillsMidStream(final ProducerType type) throws Exception
    {
        run(type, 2, 60_000, System.nanoTime());
    }

    @ParameterizedTest
    @EnumSource(ProducerType.class)
    @Tag("slow")
    void shouldRebuildTheStateOfARunWithoutACrashAfterTwentyKillsMidStream(final ProducerType type)
        throws Exception
    {
        run(type, 20, 250_000, System.nanoTime());
    }

    private void run(final ProducerType type, final int kills, final long tradesEach, final long seed)
        throws Exception
    {
        final Random random = new Random(seed);
        final String expected = ReplayKillChild.run(work.resolve("reference-journal"),
            work.resolve("reference.snapshot"), type, tradesEach, false, (count, from) -> { }).toString();

        final Path snapshot = journal.resolveSibling("ledger.snapshot");
        long replayedTotal = 0;
        for (int kill = 0; kill < kills; kill++)
        {
            // kill once the ledger's snapshot shows another 2,000 to 6,000 trades applied, mid-stream
            final long target = ReplayKillChild.snapshotLastApplied(snapshot) + 2_000 + random.nextInt(4_000);
            final List<String> lines = new CopyOnWriteArrayList<>();
            try (ChildProcess child = ChildProcess.start(ReplayKillChild.class, lines::add, journal.toString(),
                snapshot.toString(), type.name(), Long.toString(tradesEach), "throttled"))
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // every third kill (from the third on) lands at any moment: while the child opens, recovers,
                // replays or runs live
                final boolean anyMoment = kill % 3 == 2;
                if (anyMoment)
                {
                    Thread.sleep(random.nextInt(400));
                }
                while (!anyMoment && ReplayKillChild.snapshotLastApplied(snapshot) < target)
                {
                    assertThat(child.isAlive()).as("child %d (seed %d) died before the kill: %s", kill, seed, lines)
                        .isTrue();
                    assertThat(System.nanoTime()).as("child %d (seed %d) reached no snapshot at %d: %s", kill, seed,
                        target, lines).isLessThan(deadline);
                    Thread.sleep(1);
                }
                Thread.sleep(random.nextInt(20)); // lands anywhere between two snapshots
                assertThat(child.isAlive()).as("child %d still running when killed, seed %d: %s", kill, seed, lines)
                    .isTrue();
                child.kill();
            }
            assertThat(lines).as("child %d (seed %d)", kill, seed).noneMatch(line -> line.startsWith("ERROR"))
                .noneMatch(line -> line.startsWith("STATE"));
            replayedTotal += replayed(lines);
        }

        final List<String> lines = new CopyOnWriteArrayList<>();
        try (ChildProcess child = ChildProcess.start(ReplayKillChild.class, lines::add, journal.toString(),
            snapshot.toString(), type.name(), Long.toString(tradesEach), "full"))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertThat(child.isAlive()).as("last child finished within 60 s: %s", lines).isFalse();
        }
        replayedTotal += replayed(lines);

        assertThat(lines).as("last child (seed %d)", seed).noneMatch(line -> line.startsWith("ERROR"))
            .contains("STATE " + expected);
        assertThat(replayedTotal).as("the restarts replayed something (seed %d)", seed).isPositive();
        assertJournalHoldsEveryTradeOnceInProducerOrder(type == ProducerType.SINGLE ? 1 : 2, tradesEach);
    }

    private static long replayed(final List<String> lines)
    {
        return lines.stream().filter(line -> line.startsWith("REPLAYED "))
            .mapToLong(line -> Long.parseLong(line.split(" ")[1])).sum();
    }

    private void assertJournalHoldsEveryTradeOnceInProducerOrder(final int producers, final long tradesEach)
    {
        final long[] nextId = new long[producers];
        final long[] next = {0};
        try (JournalReader reader = JournalReader.open(journal, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).isEqualTo(next[0]++);
                final int producer = buffer.getInt(offset);
                final long id = buffer.getLong(offset + Integer.BYTES);
                assertThat(id).as("producer %d's trade at journal sequence %d", producer, sequence)
                    .isEqualTo(nextId[producer]++);
            }, 10_000) > 0)
            {
                // drain
            }
        }
        assertThat(next[0]).isEqualTo(producers * tradesEach);
        assertThat(nextId).containsOnly(tradesEach);
    }
}
