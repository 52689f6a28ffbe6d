package io.ringwal.tool;

import java.nio.file.Path;
import java.util.Objects;

import org.agrona.DirectBuffer;

import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;

/**
 * Iterates the committed records of a journal from a given sequence, within limits, handing each to a callback:
 * the library side of a {@code dump} command (which formats and prints; nothing here prints). Reads through a
 * {@link JournalReader}, so every record's sequence and CRC32C are checked before it is handed over, and it works
 * while a writer appends (it stops at the last committed record).
 */
public final class JournalDumper
{
    /** Why a dump stopped. */
    public enum StopReason
    {
        /** No further committed record: the end of the journal (for now). */
        END,
        /** The maximum number of records was delivered. */
        LIMIT,
        /** The next record's sequence is at or past the requested end sequence. */
        TO_SEQUENCE,
        /** The handler returned false. */
        HANDLER
    }

    /**
     * Receives the records of a dump.
     */
    @FunctionalInterface
    public interface DumpHandler
    {
        /**
         * Called for each record, in sequence order.
         *
         * @param sequence the record's sequence.
         * @param buffer   the buffer holding the payload; read-only and valid only during this call.
         * @param offset   offset of the payload in {@code buffer}.
         * @param length   payload length in bytes.
         * @return true to go on, false to stop after this record.
         */
        boolean onRecord(long sequence, DirectBuffer buffer, int offset, int length);
    }

    /**
     * What a dump did.
     */
    public static final class DumpResult
    {
        private final long records;
        private final long nextSequence;
        private final StopReason stopReason;

        DumpResult(final long records, final long nextSequence, final StopReason stopReason)
        {
            this.records = records;
            this.nextSequence = nextSequence;
            this.stopReason = stopReason;
        }

        /**
         * Number of records handed to the handler.
         *
         * @return the count.
         */
        public long records()
        {
            return records;
        }

        /**
         * The sequence to dump from to continue where this dump stopped.
         *
         * @return the next sequence.
         */
        public long nextSequence()
        {
            return nextSequence;
        }

        /**
         * Why the dump stopped.
         *
         * @return the reason.
         */
        public StopReason stopReason()
        {
            return stopReason;
        }

        @Override
        public String toString()
        {
            return "DumpResult{records=" + records + ", nextSequence=" + nextSequence + ", stopReason=" +
                stopReason + '}';
        }
    }

    private static final class Adapter implements RecordHandler
    {
        private final DumpHandler handler;
        private boolean stop;

        Adapter(final DumpHandler handler)
        {
            this.handler = handler;
        }

        @Override
        public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            stop = !handler.onRecord(sequence, buffer, offset, length);
        }
    }

    private JournalDumper()
    {
    }

    /**
     * Dumps up to {@code maxRecords} records starting at {@code fromSequence}.
     *
     * @param directory    the journal directory.
     * @param fromSequence the first sequence to deliver, not negative.
     * @param maxRecords   the most records to deliver, not negative.
     * @param handler      receives each record.
     * @return what was delivered and why it stopped.
     * @throws IllegalArgumentException                   if an argument is out of range.
     * @throws io.ringwal.journal.JournalException         if the directory holds no journal or
     *                                                    {@code fromSequence} was deleted by retention.
     * @throws io.ringwal.journal.JournalCorruptedException if a frame on the way is damaged (records before it
     *                                                    were delivered).
     */
    public static DumpResult dump(
        final Path directory, final long fromSequence, final long maxRecords, final DumpHandler handler)
    {
        return dump(directory, fromSequence, Long.MAX_VALUE, maxRecords, handler);
    }

    /**
     * Dumps the records with sequences in {@code [fromSequence, toSequence)}, at most {@code maxRecords} of them.
     *
     * @param directory    the journal directory.
     * @param fromSequence the first sequence to deliver, not negative.
     * @param toSequence   the sequence to stop before (exclusive), not below {@code fromSequence}.
     * @param maxRecords   the most records to deliver, not negative.
     * @param handler      receives each record.
     * @return what was delivered and why it stopped.
     * @throws IllegalArgumentException                   if an argument is out of range.
     * @throws io.ringwal.journal.JournalException         if the directory holds no journal or
     *                                                    {@code fromSequence} was deleted by retention.
     * @throws io.ringwal.journal.JournalCorruptedException if a frame on the way is damaged (records before it
     *                                                    were delivered).
     */
    public static DumpResult dump(
        final Path directory,
        final long fromSequence,
        final long toSequence,
        final long maxRecords,
        final DumpHandler handler)
    {
        io.ringwal.journal.AgronaAccess.check();
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(handler, "handler");
        if (fromSequence < 0)
        {
            throw new IllegalArgumentException("fromSequence=" + fromSequence + " must not be negative");
        }
        if (toSequence < fromSequence)
        {
            throw new IllegalArgumentException("toSequence=" + toSequence + " is below fromSequence=" +
                fromSequence);
        }
        if (maxRecords < 0)
        {
            throw new IllegalArgumentException("maxRecords=" + maxRecords + " must not be negative");
        }

        final Adapter adapter = new Adapter(handler);
        long records = 0;
        try (JournalReader reader = JournalReader.open(directory, fromSequence))
        {
            while (true)
            {
                if (adapter.stop)
                {
                    return new DumpResult(records, reader.nextSequence(), StopReason.HANDLER);
                }
                if (reader.nextSequence() >= toSequence)
                {
                    return new DumpResult(records, reader.nextSequence(), StopReason.TO_SEQUENCE);
                }
                if (records >= maxRecords)
                {
                    return new DumpResult(records, reader.nextSequence(), StopReason.LIMIT);
                }
                if (reader.poll(adapter, 1) == 0)
                {
                    return new DumpResult(records, reader.nextSequence(), StopReason.END);
                }
                records++;
            }
        }
    }
}
