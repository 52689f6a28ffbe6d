package io.ringwal.format;

/**
 * The counters a journal writer publishes in its counters file ({@link CountersDescriptor}), in slot order. A
 * counter's slot is its {@link #index()}: new counters are only ever appended, so a reader of an older layout
 * version ignores slots it does not know and a reader of a newer one finds 0 in slots an older writer did not
 * fill.
 */
public enum CounterId
{
    /** Records appended since the writer opened the journal. */
    RECORDS("records", "records", Kind.COUNT, "records appended since the writer opened the journal"),
    /** Payload bytes appended. */
    BYTES("bytes", "bytes", Kind.COUNT, "payload bytes appended"),
    /** Batches ended (group commits). */
    BATCHES("batches", "batches", Kind.COUNT, "batches ended (group commits)"),
    /** Sequence of the last record appended, visible to readers; -1 when the journal is empty. */
    WRITTEN_SEQUENCE("written_sequence", "sequence", Kind.GAUGE, "sequence of the last record appended"),
    /** Sequence of the last record forced to the device; -1 when none. */
    DURABLE_SEQUENCE("durable_sequence", "sequence", Kind.GAUGE, "sequence of the last record forced to the device"),
    /** Forces made (batch ends, idle, rotations, close). */
    FORCES("forces", "forces", Kind.COUNT, "forces made"),
    /** Total time spent forcing. */
    FORCE_NANOS("force_time", "nanoseconds", Kind.COUNT, "total time spent forcing"),
    /** Total length of the ranges forced. */
    FORCED_BYTES("forced_bytes", "bytes", Kind.COUNT, "total length of the ranges forced"),
    /** Segment rotations. */
    ROTATIONS("rotations", "rotations", Kind.COUNT, "segment rotations"),
    /** Total time spent starting new segments. */
    ROTATION_NANOS("rotation_time", "nanoseconds", Kind.COUNT, "total time spent starting new segments"),
    /** Times the writer waited for the allocator to prepare a segment. */
    ALLOCATOR_WAITS("allocator_waits", "waits", Kind.COUNT, "times the writer waited for the segment allocator"),
    /** Total time the writer waited for the allocator. */
    ALLOCATOR_WAIT_NANOS("allocator_wait_time", "nanoseconds", Kind.COUNT,
        "total time the writer waited for the segment allocator"),
    /** Ring slots published but not yet written, at the last batch end (0 without a ring). */
    RING_FILL("ring_fill", "slots", Kind.GAUGE, "ring slots published but not yet written, at the last batch end"),
    /** Times a blocking publish found the ring full (0 without a ring). */
    PUBLISH_RING_FULL("publish_ring_full", "events", Kind.COUNT, "times a blocking publish found the ring full"),
    /** Times a {@code tryPublish} found the ring full and gave up (0 without a ring). */
    TRY_PUBLISH_RING_FULL("try_publish_ring_full", "events", Kind.COUNT,
        "times a tryPublish found the ring full and gave up"),
    /** Failures of the writer: 0 or 1 (a failed writer stays failed); the reason is in the file beside it. */
    FAILURES("failures", "failures", Kind.COUNT, "failures of the writer (a failed writer stays failed)"),
    /**
     * Times the allocator could not prepare the next segment (a full disk, say) after it had last succeeded: the
     * early warning, raised while the writer still has room; retries that fail again do not count.
     */
    ALLOCATION_FAILURES("allocation_failures", "failures", Kind.COUNT,
        "times the allocator could not prepare the next segment (failure episodes, not retries)");

    /** Whether a counter only grows (a rate makes sense) or is a level. */
    public enum Kind
    {
        /** Grows monotonically while the writer runs. */
        COUNT,
        /** A level or a position that may be compared but not summed. */
        GAUGE
    }

    private static final CounterId[] VALUES = values();

    private final String label;
    private final String unit;
    private final Kind kind;
    private final String description;

    CounterId(final String label, final String unit, final Kind kind, final String description)
    {
        this.label = label;
        this.unit = unit;
        this.kind = kind;
        this.description = description;
    }

    /**
     * The counter's slot in the file.
     *
     * @return the slot index, its {@link #ordinal()}.
     */
    public int index()
    {
        return ordinal();
    }

    /**
     * The counter's name in tools and metrics: lower case with underscores.
     *
     * @return the label, such as {@code durable_sequence}.
     */
    public String label()
    {
        return label;
    }

    /**
     * The unit of the value.
     *
     * @return the unit, such as {@code bytes} or {@code nanoseconds}.
     */
    public String unit()
    {
        return unit;
    }

    /**
     * Whether the counter grows monotonically or is a level.
     *
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * One line saying what the counter counts.
     *
     * @return the description.
     */
    public String description()
    {
        return description;
    }

    /**
     * The counter in a slot.
     *
     * @param index the slot index.
     * @return the counter, or null if this version knows no counter there.
     */
    public static CounterId ofIndex(final int index)
    {
        return index >= 0 && index < VALUES.length ? VALUES[index] : null;
    }

    /**
     * How many counters this version knows.
     *
     * @return the count.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
