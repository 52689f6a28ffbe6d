package io.ringwal.logging;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * Every setting of a journal that log lines go to, with the defaults both appenders document
 * ({@code docs/LOGGING.md}). Immutable; {@link Builder#build()} checks every value and names the first bad one.
 */
public final class LogJournalConfig
{
    /** Default segment size: 64 MiB. */
    public static final int DEFAULT_SEGMENT_SIZE = JournalConfig.DEFAULT_SEGMENT_SIZE;
    /** Default force policy: at most one second (or 8 MiB) of lines unforced. */
    public static final String DEFAULT_FORCE_POLICY = "bounded:1000ms:8388608";
    /**
     * Default ring size: 4,096 slots (1.25 MiB of slot memory at start with the default slot size; a slot grows to
     * the longest line it has carried).
     */
    public static final int DEFAULT_RING_SIZE = 4096;
    /** Default largest line in bytes (the encoded line; longer ones are cut there and counted). */
    public static final int DEFAULT_MAX_LINE_SIZE = 8192;
    /** Default bytes each ring slot preallocates: 256 (a longer line grows its slot, up to the maximum line size). */
    public static final int DEFAULT_SLOT_SIZE = JournalPipelineBuilder.DEFAULT_SLOT_SIZE;
    /** Default wait strategy of the writer thread. */
    public static final String DEFAULT_WAIT_STRATEGY = "default";
    /** Default longest wait of a durable-mode logging call for its line to be forced. */
    public static final long DEFAULT_DURABLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Default interval between retention runs. */
    public static final long DEFAULT_RETENTION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Path directory;
    private final int segmentSize;
    private final ForcePolicy forcePolicy;
    private final int ringSize;
    private final int maxLineSize;
    private final int slotSize;
    private final String waitStrategy;
    private final RingFullPolicy ringFull;
    private final boolean durable;
    private final long durableTimeoutNanos;
    private final long maxAgeNanos;
    private final long maxTotalSize;
    private final long retentionIntervalNanos;

    private LogJournalConfig(final Builder builder)
    {
        this.directory = builder.directory;
        this.segmentSize = builder.segmentSize;
        this.forcePolicy = builder.forcePolicy;
        this.ringSize = builder.ringSize;
        this.maxLineSize = builder.maxLineSize;
        this.slotSize = builder.slotSize > 0 ? builder.slotSize : Math.min(DEFAULT_SLOT_SIZE, builder.maxLineSize);
        this.waitStrategy = builder.waitStrategy;
        this.ringFull = builder.ringFull;
        this.durable = builder.durable;
        this.durableTimeoutNanos = builder.durableTimeoutNanos;
        this.maxAgeNanos = builder.maxAgeNanos;
        this.maxTotalSize = builder.maxTotalSize;
        this.retentionIntervalNanos = builder.retentionIntervalNanos;
    }

    /**
     * Starts a configuration for a journal directory.
     *
     * @param directory the journal directory (created if missing).
     * @return the builder.
     */
    public static Builder builder(final Path directory)
    {
        return new Builder(directory);
    }

    /**
     * The journal directory, absolute and normalised.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Segment file size in bytes.
     *
     * @return the size.
     */
    public int segmentSize()
    {
        return segmentSize;
    }

    /**
     * When written lines are forced to the device.
     *
     * @return the policy.
     */
    public ForcePolicy forcePolicy()
    {
        return forcePolicy;
    }

    /**
     * Number of ring slots.
     *
     * @return the ring size.
     */
    public int ringSize()
    {
        return ringSize;
    }

    /**
     * Largest encoded line in bytes.
     *
     * @return the size.
     */
    public int maxLineSize()
    {
        return maxLineSize;
    }

    /**
     * Bytes each ring slot preallocates; a longer line grows its slot, up to {@link #maxLineSize()}.
     *
     * @return the size.
     */
    public int slotSize()
    {
        return slotSize;
    }

    /**
     * The writer thread's wait strategy name (see {@link WaitStrategies}).
     *
     * @return the name.
     */
    public String waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * What a logging call does when the ring is full.
     *
     * @return the policy.
     */
    public RingFullPolicy ringFull()
    {
        return ringFull;
    }

    /**
     * Whether a logging call returns only once its line is durable (forced), or after its timeout.
     *
     * @return true in durable mode.
     */
    public boolean durable()
    {
        return durable;
    }

    /**
     * Longest wait of a durable-mode logging call.
     *
     * @return nanoseconds.
     */
    public long durableTimeoutNanos()
    {
        return durableTimeoutNanos;
    }

    /**
     * Segments whose last line is older than this are deleted; 0 keeps them regardless of age.
     *
     * @return nanoseconds.
     */
    public long maxAgeNanos()
    {
        return maxAgeNanos;
    }

    /**
     * The oldest segments are deleted while the segments together exceed this many bytes; 0 for no limit.
     *
     * @return bytes.
     */
    public long maxTotalSize()
    {
        return maxTotalSize;
    }

    /**
     * How often retention runs.
     *
     * @return nanoseconds.
     */
    public long retentionIntervalNanos()
    {
        return retentionIntervalNanos;
    }

    /**
     * The core journal configuration these settings make.
     *
     * @return the journal configuration.
     */
    public JournalConfig journalConfig()
    {
        return JournalConfig.builder().segmentSize(segmentSize).maxRecordSize(maxLineSize).forcePolicy(forcePolicy)
            .build();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof LogJournalConfig && toString().equals(other.toString());
    }

    @Override
    public int hashCode()
    {
        return toString().hashCode();
    }

    @Override
    public String toString()
    {
        return "LogJournalConfig{directory=" + directory + ", segmentSize=" + segmentSize + ", forcePolicy=" +
            forcePolicy + ", ringSize=" + ringSize + ", maxLineSize=" + maxLineSize + ", slotSize=" + slotSize +
            ", waitStrategy=" +
            waitStrategy + ", ringFull=" + ringFull + ", durable=" + durable + ", durableTimeoutNanos=" +
            durableTimeoutNanos + ", maxAgeNanos=" + maxAgeNanos + ", maxTotalSize=" + maxTotalSize +
            ", retentionIntervalNanos=" + retentionIntervalNanos + '}';
    }

    /**
     * Builds a {@link LogJournalConfig}; every value but the directory has a default. The {@code String}
     * setters take the appenders' attribute text and parse it with {@link Settings}.
     */
    public static final class Builder
    {
        private final Path directory;
        private int segmentSize = DEFAULT_SEGMENT_SIZE;
        private ForcePolicy forcePolicy = ForcePolicy.parse(DEFAULT_FORCE_POLICY);
        private int ringSize = DEFAULT_RING_SIZE;
        private int maxLineSize = DEFAULT_MAX_LINE_SIZE;
        private int slotSize;
        private String waitStrategy = DEFAULT_WAIT_STRATEGY;
        private RingFullPolicy ringFull = RingFullPolicy.WAIT;
        private boolean durable;
        private long durableTimeoutNanos = DEFAULT_DURABLE_TIMEOUT_NANOS;
        private long maxAgeNanos;
        private long maxTotalSize;
        private long retentionIntervalNanos = DEFAULT_RETENTION_INTERVAL_NANOS;

        private Builder(final Path directory)
        {
            this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        }

        /**
         * Segment size: a power of two from 64 KiB to 1 GiB, e.g. {@code 64MiB}.
         *
         * @param text the size; null keeps the default.
         * @return this builder.
         */
        public Builder segmentSize(final String text)
        {
            if (text != null)
            {
                segmentSize = Settings.parseIntSize("segmentSize", text);
            }
            return this;
        }

        /**
         * Force policy: {@code never}, {@code every-batch} or {@code bounded:<millis>ms:<bytes>}.
         *
         * @param text the policy; null keeps the default.
         * @return this builder.
         */
        public Builder forcePolicy(final String text)
        {
            if (text != null)
            {
                forcePolicy = Settings.parseForcePolicy("forcePolicy", text);
            }
            return this;
        }

        /**
         * Ring size: a power of two, at least 2.
         *
         * @param ringSize the number of slots; 0 keeps the default.
         * @return this builder.
         */
        public Builder ringSize(final int ringSize)
        {
            if (ringSize != 0)
            {
                this.ringSize = ringSize;
            }
            return this;
        }

        /**
         * Largest line, e.g. {@code 8KiB}; a longer line is cut there and counted.
         *
         * @param text the size; null keeps the default.
         * @return this builder.
         */
        public Builder maxLineSize(final String text)
        {
            if (text != null)
            {
                maxLineSize = Settings.parseIntSize("maxLineSize", text);
            }
            return this;
        }

        /**
         * Bytes each ring slot preallocates, e.g. {@code 256} or {@code 1KiB}, at most the maximum line size. A
         * longer line grows its slot (once per slot and size: after the first laps of the ring nothing more is
         * allocated); set it to the maximum line size to preallocate every slot in full. Defaults to
         * {@value #DEFAULT_SLOT_SIZE}, or the maximum line size when that is smaller.
         *
         * @param text the size; null keeps the default.
         * @return this builder.
         */
        public Builder slotSize(final String text)
        {
            if (text != null)
            {
                slotSize = Settings.parseIntSize("slotSize", text);
            }
            return this;
        }

        /**
         * The writer thread's wait strategy, one of {@value WaitStrategies#NAMES}.
         *
         * @param text the name; null keeps the default.
         * @return this builder.
         */
        public Builder waitStrategy(final String text)
        {
            if (text != null)
            {
                waitStrategy = WaitStrategies.check(text);
            }
            return this;
        }

        /**
         * What to do when the ring is full: {@code wait} or {@code drop}.
         *
         * @param text the policy; null keeps the default ({@code wait}).
         * @return this builder.
         */
        public Builder ringFull(final String text)
        {
            if (text != null)
            {
                ringFull = RingFullPolicy.parse(text);
            }
            return this;
        }

        /**
         * Durable mode: each logging call returns only once its line is forced (or its timeout passed).
         *
         * @param durable true for durable mode.
         * @return this builder.
         */
        public Builder durable(final boolean durable)
        {
            this.durable = durable;
            return this;
        }

        /**
         * Longest wait of a durable-mode logging call, e.g. {@code 10s}.
         *
         * @param text the duration; null keeps the default.
         * @return this builder.
         */
        public Builder durableTimeout(final String text)
        {
            if (text != null)
            {
                durableTimeoutNanos = Settings.parseDurationNanos("durableTimeout", text);
            }
            return this;
        }

        /**
         * Retention by age, e.g. {@code 7d}: segments whose last line is older are deleted.
         *
         * @param text the age; null keeps segments regardless of age.
         * @return this builder.
         */
        public Builder maxAge(final String text)
        {
            if (text != null)
            {
                maxAgeNanos = Settings.parseDurationNanos("maxAge", text);
            }
            return this;
        }

        /**
         * Retention by total size, e.g. {@code 10GiB}: the oldest segments are deleted while the journal is larger.
         *
         * @param text the size; null for no limit.
         * @return this builder.
         */
        public Builder maxTotalSize(final String text)
        {
            if (text != null)
            {
                maxTotalSize = Settings.parseSize("maxTotalSize", text);
            }
            return this;
        }

        /**
         * How often retention runs, e.g. {@code 10s}.
         *
         * @param text the interval; null keeps the default.
         * @return this builder.
         */
        public Builder retentionInterval(final String text)
        {
            if (text != null)
            {
                retentionIntervalNanos = Settings.parseDurationNanos("retentionInterval", text);
            }
            return this;
        }

        /**
         * Checks every value and builds the configuration.
         *
         * @return the configuration.
         * @throws IllegalArgumentException naming the first value out of range.
         */
        public LogJournalConfig build()
        {
            JournalConfig.builder().segmentSize(segmentSize).build();
            if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize=" + ringSize + " must be a power of two, at least 2");
            }
            if (maxLineSize < 16)
            {
                throw new IllegalArgumentException("maxLineSize=" + maxLineSize + " must be at least 16 bytes");
            }
            if (maxLineSize > JournalConfig.maxPayloadFor(segmentSize))
            {
                throw new IllegalArgumentException("maxLineSize=" + maxLineSize + " does not fit a segment of " +
                    "segmentSize=" + segmentSize);
            }
            if (slotSize < 0 || slotSize > maxLineSize)
            {
                throw new IllegalArgumentException("slotSize=" + slotSize + " must be from 1 byte to maxLineSize=" +
                    maxLineSize);
            }
            if ((long)ringSize * maxLineSize > (1L << 30))
            {
                throw new IllegalArgumentException("ringSize=" + ringSize + " x maxLineSize=" + maxLineSize +
                    " is more than 1 GiB of slot memory (what the ring holds once every slot has grown to the " +
                    "longest line)");
            }
            if (durable && forcePolicy.kind() == ForcePolicy.Kind.NEVER)
            {
                throw new IllegalArgumentException("durable=true needs a force policy that forces (every-batch " +
                    "or bounded), not forcePolicy=never: a line would only become durable at the next rotation");
            }
            if (durableTimeoutNanos <= 0)
            {
                throw new IllegalArgumentException("durableTimeout must be positive");
            }
            if (retentionIntervalNanos <= 0)
            {
                throw new IllegalArgumentException("retentionInterval must be positive");
            }
            final LogJournalConfig config = new LogJournalConfig(this);
            config.journalConfig();
            return config;
        }
    }
}
