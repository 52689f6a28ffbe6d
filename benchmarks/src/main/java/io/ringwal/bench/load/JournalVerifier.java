package io.ringwal.bench.load;

import java.nio.ByteOrder;
import java.nio.file.Path;

import org.agrona.DirectBuffer;

import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;

/**
 * Reads a journal back from a sequence with {@link JournalReader} (which checks every frame's CRC32C and
 * sequence) and checks that exactly the expected records came back: the count, contiguous sequences, lengths
 * within the expected range, and the sequence stamped in each payload's first 8 bytes by {@link LoadGenerator}.
 */
public final class JournalVerifier implements RecordHandler
{
    private static final int POLL_LIMIT = 4096;

    private long expected;
    private long records;
    private long bytes;
    private int minLength;
    private int maxLength;
    private String problem;

    /**
     * Creates a verifier.
     */
    public JournalVerifier()
    {
    }

    /**
     * Reads the journal and checks it.
     *
     * @param directory     the journal directory.
     * @param firstSequence the first sequence expected.
     * @param count         how many records are expected.
     * @param minLength     the smallest payload length expected.
     * @param maxLength     the largest payload length expected.
     * @return the outcome.
     */
    public VerifyResult verify(
        final Path directory, final long firstSequence, final long count, final int minLength, final int maxLength)
    {
        this.expected = firstSequence;
        this.records = 0;
        this.bytes = 0;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.problem = null;
        final long start = System.nanoTime();
        try (JournalReader reader = JournalReader.open(directory, firstSequence))
        {
            while (problem == null && reader.poll(this, POLL_LIMIT) > 0)
            {
                // keep reading until nothing is left
            }
        }
        catch (final JournalException ex)
        {
            return new VerifyResult(false, records, bytes, System.nanoTime() - start,
                "reading failed after " + records + " records: " + ex.getMessage());
        }
        final long nanos = System.nanoTime() - start;
        if (problem != null)
        {
            return new VerifyResult(false, records, bytes, nanos, problem);
        }
        if (records != count)
        {
            return new VerifyResult(false, records, bytes, nanos, "read " + records + " records, expected " + count +
                " (sequences " + firstSequence + ".." + (firstSequence + count - 1) + ")");
        }
        return new VerifyResult(true, records, bytes, nanos, "OK: " + records + " records, sequences " +
            firstSequence + ".." + (firstSequence + count - 1) + " contiguous, every CRC32C and payload stamp checked");
    }

    @Override
    public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (problem != null)
        {
            return;
        }
        if (sequence != expected)
        {
            problem = "sequence " + sequence + " where " + expected + " was expected";
            return;
        }
        if (length < minLength || length > maxLength)
        {
            problem = "record " + sequence + " has length " + length + ", outside " + minLength + "-" + maxLength;
            return;
        }
        if (length >= Long.BYTES)
        {
            final long stamped = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            if (stamped != sequence)
            {
                problem = "record " + sequence + " carries payload stamp " + stamped;
                return;
            }
        }
        expected = sequence + 1;
        records++;
        bytes += length;
    }
}
