package io.ringwal.disruptor;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;
import io.ringwal.journal.RecoveryReport;

/**
 * Publishes the journal's records from a snapshot's sequence up to the end that recovery kept into the ring of a
 * {@link JournallingEventHandler}, one ring slot per journal sequence, for
 * {@link JournallingEventHandler#replay(RingBuffer, long, JournalDeserializer)}. Runs on the caller's thread;
 * per record it allocates nothing.
 *
 * @param <T> the event type.
 */
final class JournalReplay<T> implements RecordHandler
{
    private static final int POLL_LIMIT = 256;

    private final JournallingEventHandler<T> journaller;
    private final RingBuffer<T> ring;
    private final JournalDeserializer<T> deserializer;
    private final Path directory;
    private final long from;
    private final long end;
    private long expected;

    JournalReplay(
        final JournallingEventHandler<T> journaller,
        final RingBuffer<T> ring,
        final JournalDeserializer<T> deserializer,
        final long from,
        final long end)
    {
        this.journaller = journaller;
        this.ring = ring;
        this.deserializer = deserializer;
        this.directory = journaller.directory();
        this.from = from;
        this.end = end;
        this.expected = from;
    }

    /**
     * Checks that the journal holds every record from {@code lastApplied + 1} up to its end, before anything is
     * published.
     *
     * @param directory   the journal directory.
     * @param recovery    what the journal's open found.
     * @param lastApplied the snapshot's last applied journal sequence, -1 for none.
     * @param end         the journal's next sequence at open.
     * @throws JournalException if the snapshot lies beyond the journal's end or below what retention kept.
     */
    static void checkRange(final Path directory, final RecoveryReport recovery, final long lastApplied,
        final long end)
    {
        final long from = lastApplied + 1;
        if (from > end)
        {
            throw new JournalException("cannot replay " + directory + ": the snapshot's last applied journal " +
                "sequence " + lastApplied + " is beyond the journal's end, whose last record is " + (end - 1) +
                (recovery.tornTailCut() ? " (recovery cut a torn tail of " + recovery.tornBytes() + " bytes at " +
                recovery.tornSegment() + " offset " + recovery.tornOffset() + ")" : "") +
                ": the snapshot saw records this journal does not hold (a snapshot of another journal, or records " +
                "lost after it was taken)");
        }
        if (from < end && recovery.firstSequence() > from)
        {
            throw retentionGap(directory, lastApplied, recovery.firstSequence());
        }
    }

    private static JournalException retentionGap(final Path directory, final long lastApplied, final long first)
    {
        return new JournalException("cannot replay " + directory + " from journal sequence " + (lastApplied + 1) +
            " (the snapshot's last applied sequence " + lastApplied + " + 1): the first sequence the journal still " +
            "holds is " + first + ", so records " + (lastApplied + 1) + ".." + (first - 1) + " are gone (deleted " +
            "by retention); take snapshots more often than retention deletes segments, or retain more");
    }

    /**
     * Publishes journal sequences {@code from} to {@code end - 1} into ring sequences {@code 0} to
     * {@code end - from - 1}.
     *
     * @return the number of ring slots published.
     */
    long run()
    {
        if (from == end)
        {
            return 0;
        }
        try (JournalReader reader = open())
        {
            while (expected < end)
            {
                final long before = expected;
                reader.poll(this, (int)Math.min(POLL_LIMIT, end - expected));
                publishSkippedBelow(Math.min(reader.nextSequence(), end));
                if (expected == before)
                {
                    throw new JournalException("replay of " + directory + " stopped at journal sequence " +
                        expected + ": the journal holds nothing there, yet its open found records up to " +
                        (end - 1));
                }
            }
        }
        return end - from;
    }

    private JournalReader open()
    {
        try
        {
            return JournalReader.open(directory, from);
        }
        catch (final JournalException ex)
        {
            throw new JournalException("cannot replay " + directory + " from journal sequence " + from +
                " (the snapshot's last applied sequence " + (from - 1) + " + 1): " + ex.getMessage(), ex);
        }
    }

    @Override
    public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (sequence >= end)
        {
            throw new JournalException("replay of " + directory + " met journal sequence " + sequence +
                " beyond the end " + (end - 1) + " its open found: another writer appended meanwhile?");
        }
        publishSkippedBelow(sequence);
        final long slot = claim(sequence);
        try
        {
            deserializer.read(sequence, buffer, offset, length, ring.get(slot));
        }
        catch (final RuntimeException | Error ex)
        {
            throw failPublished(slot, sequence, "the deserializer threw: " + ex, ex);
        }
        journaller.replayPublishing(slot);
        ring.publish(slot);
        expected = sequence + 1;
    }

    private void publishSkippedBelow(final long limit)
    {
        while (expected < limit)
        {
            final long sequence = expected;
            final long slot = claim(sequence);
            try
            {
                deserializer.readSkipped(sequence, ring.get(slot));
            }
            catch (final RuntimeException | Error ex)
            {
                throw failPublished(slot, sequence, "it is a skipped-sequence frame and " +
                    "JournalDeserializer.readSkipped threw: " + ex, ex);
            }
            journaller.replayPublishing(slot);
            ring.publish(slot);
            expected = sequence + 1;
        }
    }

    /**
     * Claims the ring slot for a journal sequence, waiting while the ring is full unless the journaller failed.
     */
    private long claim(final long journalSequence)
    {
        while (true)
        {
            final Throwable failed = journaller.failure();
            if (failed != null)
            {
                throw new JournalFailedException("journaller for " + directory + " failed during the replay, " +
                    "at journal sequence " + journalSequence + ": " + failed.getMessage(), failed);
            }
            try
            {
                final long slot = ring.tryNext();
                if (slot != journalSequence - from)
                {
                    throw failPublished(slot, journalSequence, "ring sequence " + slot + " was claimed where " +
                        (journalSequence - from) + " was due: something else published into the ring during " +
                        "the replay", null);
                }
                return slot;
            }
            catch (final InsufficientCapacityException full)
            {
                LockSupport.parkNanos(1);
            }
        }
    }

    /**
     * Fails the journaller first, so that it refuses the slot (and the stages behind it never see it), then
     * publishes the claimed slot, which the ring needs to move on.
     */
    private JournalException failPublished(final long slot, final long journalSequence, final String why,
        final Throwable cause)
    {
        final JournalException failure = new JournalException("replay of " + directory + " failed at journal " +
            "sequence " + journalSequence + ": " + why + "; the journaller is failed", cause);
        journaller.fail(failure);
        ring.publish(slot);
        return failure;
    }
}
