package io.ringwal.journal;

/**
 * Options of a {@link JournalReader}, given to {@link JournalReader#open(java.nio.file.Path, long, ReaderOption...)}.
 */
public enum ReaderOption
{
    /**
     * Deliver only records known to be durable (forced to the device), so that what a consumer has seen can never
     * be lost or replaced by a power loss. The reader learns the durable watermark from the journal's counters file
     * ({@link CountersFileReader}), which a running pipeline or {@link JournalCountersPublisher} keeps up to date;
     * when no writer is running and the journal ends with a clean close, every record up to the close is durable.
     * A record beyond the watermark is held back ({@code poll} returns 0 there) until the watermark passes it.
     * With a live writer that publishes no counters file, records are delivered only once it closes the journal.
     */
    DURABLE_ONLY
}
