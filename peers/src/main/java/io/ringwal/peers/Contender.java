package io.ringwal.peers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One peer in the comparison. A fresh instance runs in a fresh JVM for one (workload, repetition):
 * {@link #open}, then producers call {@link #publish} from their own threads, then {@link #producerDone} on each
 * producer thread, {@link #awaitAll} and {@link #close} on the main thread, and finally
 * {@link #readBackAndVerify}.
 */
public interface Contender
{
    /** What {@link #completedTicket} means for this contender. */
    enum Completion
    {
        /** Records are forced to the storage device. */
        DURABLE,
        /** Records are in the file's pages (page cache): visible to readers, survive a process crash. */
        WRITTEN,
        /** The contender offers no way to learn when a record reached its file. */
        UNKNOWN
    }

    /**
     * The contender's name as used on the command line and in the tables.
     *
     * @return the name.
     */
    String name();

    /**
     * JVM flags this contender needs in its forked JVM, beyond the common ones.
     *
     * @return the flags.
     */
    default List<String> jvmFlags()
    {
        return List.of();
    }

    /**
     * Opens the contender's files in an empty directory.
     *
     * @param dir      the directory.
     * @param workload the workload.
     * @throws Exception on failure.
     */
    void open(Path dir, Workload workload) throws Exception;

    /**
     * Stores one record, from the producer's own thread; allocates nothing.
     *
     * @param producer the producer id.
     * @param payload  the record, {@code workload.recordSize()} bytes; reused by the caller after the return.
     * @return a ticket: non-decreasing per producer, comparable with {@link #completedTicket}.
     */
    long publish(int producer, byte[] payload);

    /**
     * What completion latency measures.
     *
     * @return the completion kind.
     */
    Completion completion();

    /**
     * Whether a record is complete (per {@link #completion()}) when {@link #publish} returns.
     *
     * @return true if publishing is synchronous.
     */
    default boolean completesOnReturn()
    {
        return false;
    }

    /**
     * The highest ticket complete for this producer (per {@link #completion()}); polled by the producer's thread.
     *
     * @param producer the producer.
     * @return the ticket, or {@code Long.MIN_VALUE} if unknown.
     */
    long completedTicket(int producer);

    /**
     * Called on each producer thread after its last publish.
     *
     * @param producer the producer.
     */
    default void producerDone(final int producer)
    {
    }

    /**
     * Waits until everything published is complete (per {@link #completion()}; for {@code UNKNOWN}, consumed
     * by the contender's own background thread).
     *
     * @throws Exception on failure.
     */
    void awaitAll() throws Exception;

    /**
     * The contender's own counters for the result (name to value, in the order to show), or an empty map.
     *
     * @return the counters.
     */
    default Map<String, Long> counters()
    {
        return Map.of();
    }

    /**
     * Closes everything (flushing what the contender flushes at close).
     *
     * @throws Exception on failure.
     */
    void close() throws Exception;

    /**
     * Reads the contender's files back and checks every record.
     *
     * @param dir       the directory given to {@link #open}.
     * @param workload  the workload.
     * @param published how many records each producer published.
     * @return the verdict.
     * @throws Exception if the files cannot be read at all.
     */
    VerifyResult readBackAndVerify(Path dir, Workload workload, long[] published) throws Exception;
}
