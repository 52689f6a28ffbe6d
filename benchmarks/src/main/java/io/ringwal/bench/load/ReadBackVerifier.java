package io.ringwal.bench.load;

import java.nio.ByteOrder;
import java.nio.file.Path;

import org.agrona.DirectBuffer;

import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;
import io.ringwal.tool.JournalVerifier;
import io.ringwal.tool.VerifyReport;

/**
 * Verifies the journal a load run wrote, in two passes:
 * <ol>
 *     <li>{@link JournalVerifier#verify(Path)} (read-only, through {@code FileChannel.read}): every header, the
 *     segment chain and every frame; the journal must be intact, with no torn tail, and hold the run's records;
 *     </li>
 *     <li>a read-back of every record from the run's first sequence with {@link JournalReader} (which checks each
 *     frame's CRC32C and sequence): contiguous sequences, lengths in the expected range, and the producer stamp in
 *     each payload: for every producer, its counters must come back as 0, 1, 2, ... in order, and each producer's
 *     count must equal what it published.</li>
 * </ol>
 */
public final class ReadBackVerifier implements RecordHandler
{
    private static final int POLL_LIMIT = 4096;

    private long expected;
    private long records;
    private long bytes;
    private int minLength;
    private int maxLength;
    private long[] nextCounter;
    private String problem;

    /**
     * Creates a verifier.
     */
    public ReadBackVerifier()
    {
    }

    /**
     * Verifies the journal.
     *
     * @param directory     the journal directory.
     * @param firstSequence the first sequence of the run.
     * @param perProducer   records each producer published.
     * @param minLength     the smallest payload length expected.
     * @param maxLength     the largest payload length expected.
     * @return the outcome.
     */
    public VerifyResult verify(
        final Path directory, final long firstSequence, final long[] perProducer, final int minLength,
        final int maxLength)
    {
        long count = 0;
        for (final long n : perProducer)
        {
            count += n;
        }
        final long start = System.nanoTime();
        final VerifyReport report;
        try
        {
            report = JournalVerifier.verify(directory);
        }
        catch (final JournalException ex)
        {
            return new VerifyResult(false, 0, 0, System.nanoTime() - start, "JournalVerifier could not run: " +
                ex.getMessage());
        }
        if (!report.intact())
        {
            return new VerifyResult(false, report.records(), 0, System.nanoTime() - start,
                "JournalVerifier found damage: " + report.damage());
        }
        if (report.tornTail() != null)
        {
            return new VerifyResult(false, report.records(), 0, System.nanoTime() - start,
                "JournalVerifier found a torn tail after a clean close: " + report.tornTail());
        }
        // with retention the oldest segments may be gone: check what is retained, from the first record left
        final long from = Math.max(firstSequence, report.firstSequence());
        if (count > 0 && (report.lastSequence() != firstSequence + count - 1 || from > firstSequence + count))
        {
            return new VerifyResult(false, report.records(), 0, System.nanoTime() - start,
                "JournalVerifier found sequences " + report.firstSequence() + ".." + report.lastSequence() +
                ", expected the run's " + firstSequence + ".." + (firstSequence + count - 1));
        }
        final String verifierSummary = "JournalVerifier: intact, " + report.segments() + " segment" +
            (report.segments() == 1 ? "" : "s") + ", " + report.records() + " records, no torn tail; ";

        this.expected = from;
        this.retiredPrefix = from > firstSequence;
        this.started = new boolean[perProducer.length];
        this.records = 0;
        this.bytes = 0;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.nextCounter = new long[perProducer.length];
        this.problem = null;
        try (JournalReader reader = JournalReader.open(directory, from))
        {
            while (problem == null && reader.poll(this, POLL_LIMIT) > 0)
            {
                // keep reading until nothing is left
            }
        }
        catch (final JournalException ex)
        {
            return new VerifyResult(false, records, bytes, System.nanoTime() - start,
                "read-back failed after " + records + " records: " + ex.getMessage());
        }
        final long nanos = System.nanoTime() - start;
        if (problem != null)
        {
            return new VerifyResult(false, records, bytes, nanos, problem);
        }
        if (records != firstSequence + count - from)
        {
            return new VerifyResult(false, records, bytes, nanos, "read back " + records + " records, expected " +
                (firstSequence + count - from) + " (sequences " + from + ".." + (firstSequence + count - 1) + ")");
        }
        for (int p = 0; p < perProducer.length; p++)
        {
            if (nextCounter[p] != perProducer[p])
            {
                return new VerifyResult(false, records, bytes, nanos, "producer " + p + " published " +
                    perProducer[p] + " records but " + nextCounter[p] + " came back");
            }
        }
        return new VerifyResult(true, records, bytes, nanos, verifierSummary + "read-back: " + records +
            " records, sequences " + from + ".." + (firstSequence + count - 1) + " contiguous" +
            (retiredPrefix ? " (" + (from - firstSequence) + " older ones retired by retention)" : "") + ", every " +
            "CRC32C checked, each of " + perProducer.length + " producer" + (perProducer.length == 1 ? "" : "s") +
            " in order");
    }

    private boolean retiredPrefix;
    private boolean[] started;

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
        if (length < minLength || length > maxLength || length < Producer.STAMP_LENGTH)
        {
            problem = "record " + sequence + " has length " + length + ", outside " + minLength + "-" + maxLength;
            return;
        }
        final long stamp = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        final int producer = Producer.producerOf(stamp);
        final long counter = Producer.counterOf(stamp);
        if (producer >= nextCounter.length)
        {
            problem = "record " + sequence + " carries stamp 0x" + Long.toHexString(stamp) + " of producer " +
                producer + ", but only " + nextCounter.length + " ran";
            return;
        }
        if (retiredPrefix && !started[producer])
        {
            // the producer's earlier records were in retired segments
            started[producer] = true;
            nextCounter[producer] = counter;
        }
        if (counter != nextCounter[producer])
        {
            problem = "record " + sequence + " is producer " + producer + "'s record " + counter + ", expected its " +
                "record " + nextCounter[producer] + " (per-producer order broken)";
            return;
        }
        nextCounter[producer] = counter + 1;
        expected = sequence + 1;
        records++;
        bytes += length;
    }
}
