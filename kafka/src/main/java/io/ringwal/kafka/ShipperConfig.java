package io.ringwal.kafka;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerConfig;

import io.ringwal.journal.ReaderPosition;

/**
 * Settings of a {@link KafkaShipper}, checked once when built. Create with {@link #builder(Path, String, String)}.
 */
public final class ShipperConfig
{
    /** Default longest time a transaction stays open while records keep coming: 100 ms. */
    public static final long DEFAULT_MAX_TRANSACTION_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Default longest time a transaction stays open while the shipper catches up on a backlog: 1 s. */
    public static final long DEFAULT_MAX_CATCH_UP_TRANSACTION_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Default most records in one transaction. */
    public static final int DEFAULT_MAX_TRANSACTION_RECORDS = 1_000_000;

    /** Default interval between writes of the position file: 1 s. */
    public static final long DEFAULT_POSITION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Default wait before reconnecting after a failure: 500 ms. */
    public static final long DEFAULT_RETRY_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Default park when the journal has nothing new: 100 us. */
    public static final long DEFAULT_IDLE_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** Default interval between measurements of the journal's head for the lag counters: 1 s. */
    public static final long DEFAULT_LAG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Producer properties the shipper owns: the transactional id comes from {@link Builder#transactionalId},
     * and idempotence, acks and the serializers are what exactly-once needs.
     */
    static final Set<String> OWNED_PROPERTIES = Set.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        ProducerConfig.ACKS_CONFIG,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private final Path directory;
    private final String bootstrapServers;
    private final String topic;
    private final String name;
    private final String transactionalId;
    private final long fromSequence;
    private final long untilSequence;
    private final RecordKeyFunction keyFunction;
    private final Map<String, Object> producerProperties;
    private final long maxTransactionNanos;
    private final long maxCatchUpTransactionNanos;
    private final int maxTransactionRecords;
    private final long positionIntervalNanos;
    private final long retryBackoffNanos;
    private final long idleParkNanos;
    private final long lagIntervalNanos;

    private ShipperConfig(final Builder b)
    {
        directory = b.directory;
        bootstrapServers = b.bootstrapServers;
        topic = b.topic;
        name = b.name != null ? b.name : defaultName(b.topic);
        transactionalId = b.transactionalId != null ? b.transactionalId : "ringwal-ship-" + name;
        fromSequence = b.fromSequence;
        untilSequence = b.untilSequence;
        keyFunction = b.keyFunction;
        producerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.producerProperties));
        maxTransactionNanos = b.maxTransactionNanos;
        maxCatchUpTransactionNanos = Math.max(b.maxTransactionNanos, b.maxCatchUpTransactionNanos);
        maxTransactionRecords = b.maxTransactionRecords;
        positionIntervalNanos = b.positionIntervalNanos;
        retryBackoffNanos = b.retryBackoffNanos;
        idleParkNanos = b.idleParkNanos;
        lagIntervalNanos = b.lagIntervalNanos;
    }

    /**
     * A builder with every default.
     *
     * @param directory        the journal directory to ship.
     * @param bootstrapServers the Kafka bootstrap servers, {@code host:port[,host:port...]}.
     * @param topic            the topic to produce to (it must exist).
     * @return the builder.
     */
    public static Builder builder(final Path directory, final String bootstrapServers, final String topic)
    {
        return new Builder(directory, bootstrapServers, topic);
    }

    private static String defaultName(final String topic)
    {
        final String name = topic.length() <= 100 ? topic : topic.substring(0, 100);
        return name.startsWith(".") ? "_" + name.substring(1) : name;
    }

    /**
     * The journal directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * The Kafka bootstrap servers.
     *
     * @return {@code host:port[,host:port...]}.
     */
    public String bootstrapServers()
    {
        return bootstrapServers;
    }

    /**
     * The topic.
     *
     * @return the topic name.
     */
    public String topic()
    {
        return topic;
    }

    /**
     * The shipper name: names the position file (default: the topic name).
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The producer's transactional id (default {@code ringwal-ship-<name>}). One shipper per id: a second
     * shipper with the same id fences the first.
     *
     * @return the transactional id.
     */
    public String transactionalId()
    {
        return transactionalId;
    }

    /**
     * Where to start when the topic holds no shipped record yet; -1 for the first record the journal keeps.
     *
     * @return the sequence or -1.
     */
    public long fromSequence()
    {
        return fromSequence;
    }

    /**
     * The shipper stops once every sequence below this one is committed ({@link Long#MAX_VALUE}: never).
     *
     * @return the sequence.
     */
    public long untilSequence()
    {
        return untilSequence;
    }

    /**
     * The key function, or null for every record on partition 0 without a key.
     *
     * @return the function or null.
     */
    public RecordKeyFunction keyFunction()
    {
        return keyFunction;
    }

    /**
     * Extra producer properties (batching, compression, linger, buffer memory, timeouts, security ...).
     *
     * @return an unmodifiable map.
     */
    public Map<String, Object> producerProperties()
    {
        return producerProperties;
    }

    /**
     * Longest time a transaction stays open while records keep coming.
     *
     * @return nanoseconds.
     */
    public long maxTransactionNanos()
    {
        return maxTransactionNanos;
    }

    /**
     * Longest time a transaction stays open while the shipper is behind (its last 64 reads of the journal each
     * filled a whole batch of 1,024 records, so the backlog exceeds 65,536 records): catching up on a backlog,
     * fewer commits (each stalls sending) ship faster, and the backlog dominates the lag anyway. Never below {@link #maxTransactionNanos()}.
     *
     * @return nanoseconds.
     */
    public long maxCatchUpTransactionNanos()
    {
        return maxCatchUpTransactionNanos;
    }

    /**
     * Most records in one transaction.
     *
     * @return the count.
     */
    public int maxTransactionRecords()
    {
        return maxTransactionRecords;
    }

    /**
     * Interval between writes of the position file (it is also written when the shipper closes).
     *
     * @return nanoseconds.
     */
    public long positionIntervalNanos()
    {
        return positionIntervalNanos;
    }

    /**
     * Wait before reconnecting after a failure.
     *
     * @return nanoseconds.
     */
    public long retryBackoffNanos()
    {
        return retryBackoffNanos;
    }

    /**
     * Park when the journal has nothing new.
     *
     * @return nanoseconds.
     */
    public long idleParkNanos()
    {
        return idleParkNanos;
    }

    /**
     * Interval between measurements of the journal's head for {@link ShipperCounters#lagRecords()}; 0 turns
     * the measurement off (the lag then counts only records read but not yet committed).
     *
     * @return nanoseconds.
     */
    public long lagIntervalNanos()
    {
        return lagIntervalNanos;
    }

    @Override
    public String toString()
    {
        return "ShipperConfig{directory=" + directory + ", bootstrapServers=" + bootstrapServers + ", topic=" +
            topic + ", name=" + name + ", transactionalId=" + transactionalId + ", fromSequence=" + fromSequence +
            ", untilSequence=" + untilSequence + ", keyFunction=" + (keyFunction != null) +
            ", producerProperties=" + producerProperties + ", maxTransactionMillis=" +
            TimeUnit.NANOSECONDS.toMillis(maxTransactionNanos) + ", maxCatchUpTransactionMillis=" +
            TimeUnit.NANOSECONDS.toMillis(maxCatchUpTransactionNanos) + ", maxTransactionRecords=" +
            maxTransactionRecords + "}";
    }

    /**
     * Builds a {@link ShipperConfig}.
     */
    public static final class Builder
    {
        private final Path directory;
        private final String bootstrapServers;
        private final String topic;
        private String name;
        private String transactionalId;
        private long fromSequence = -1;
        private long untilSequence = Long.MAX_VALUE;
        private RecordKeyFunction keyFunction;
        private final Map<String, Object> producerProperties = new LinkedHashMap<>();
        private long maxTransactionNanos = DEFAULT_MAX_TRANSACTION_NANOS;
        private long maxCatchUpTransactionNanos = DEFAULT_MAX_CATCH_UP_TRANSACTION_NANOS;
        private int maxTransactionRecords = DEFAULT_MAX_TRANSACTION_RECORDS;
        private long positionIntervalNanos = DEFAULT_POSITION_INTERVAL_NANOS;
        private long retryBackoffNanos = DEFAULT_RETRY_BACKOFF_NANOS;
        private long idleParkNanos = DEFAULT_IDLE_PARK_NANOS;
        private long lagIntervalNanos = DEFAULT_LAG_INTERVAL_NANOS;

        private Builder(final Path directory, final String bootstrapServers, final String topic)
        {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.bootstrapServers = requireNonBlank(bootstrapServers, "bootstrapServers");
            this.topic = requireNonBlank(topic, "topic");
            if (!topic.matches("[A-Za-z0-9._-]{1,249}"))
            {
                throw new IllegalArgumentException("topic '" + topic + "' is not a valid Kafka topic name " +
                    "(1 to 249 characters of A-Z a-z 0-9 . _ -)");
            }
        }

        /**
         * Sets the shipper name (names the position file; default: the topic name).
         *
         * @param name 1 to 100 characters of {@code A-Z a-z 0-9 . _ -}.
         * @return this builder.
         */
        public Builder name(final String name)
        {
            this.name = ReaderPosition.requireValidName(name);
            return this;
        }

        /**
         * Sets the producer's transactional id (default {@code ringwal-ship-<name>}).
         *
         * @param transactionalId the id.
         * @return this builder.
         */
        public Builder transactionalId(final String transactionalId)
        {
            this.transactionalId = requireNonBlank(transactionalId, "transactionalId");
            return this;
        }

        /**
         * Sets where to start when the topic holds no shipped record yet (default: the first record the journal
         * keeps). Once the topic holds records the shipper always resumes after the last one.
         *
         * @param fromSequence the sequence, not negative.
         * @return this builder.
         */
        public Builder fromSequence(final long fromSequence)
        {
            if (fromSequence < 0)
            {
                throw new IllegalArgumentException("fromSequence=" + fromSequence + " must not be negative");
            }
            this.fromSequence = fromSequence;
            return this;
        }

        /**
         * Makes the shipper stop once every sequence below {@code untilSequence} is committed.
         *
         * @param untilSequence the sequence, positive.
         * @return this builder.
         */
        public Builder untilSequence(final long untilSequence)
        {
            if (untilSequence < 1)
            {
                throw new IllegalArgumentException("untilSequence=" + untilSequence + " must be positive");
            }
            this.untilSequence = untilSequence;
            return this;
        }

        /**
         * Sets a key function (default none: every record to partition 0 without a key).
         *
         * @param keyFunction the function.
         * @return this builder.
         */
        public Builder keyFunction(final RecordKeyFunction keyFunction)
        {
            this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
            return this;
        }

        /**
         * Adds a producer property (for example {@code linger.ms}, {@code batch.size}, {@code compression.type},
         * {@code buffer.memory}, {@code max.block.ms}, security settings). The properties that exactly-once
         * depends on ({@code transactional.id}, {@code enable.idempotence}, {@code acks}, the serializers and
         * {@code bootstrap.servers}) are the shipper's and are refused here.
         *
         * @param key   the property name.
         * @param value its value.
         * @return this builder.
         */
        public Builder producerProperty(final String key, final Object value)
        {
            requireNonBlank(key, "key");
            Objects.requireNonNull(value, "value");
            if (OWNED_PROPERTIES.contains(key))
            {
                throw new IllegalArgumentException("producer property " + key + " is set by the shipper " +
                    "(exactly-once depends on it)");
            }
            producerProperties.put(key, value);
            return this;
        }

        /**
         * Adds producer properties, as {@link #producerProperty(String, Object)} each.
         *
         * @param properties the properties.
         * @return this builder.
         */
        public Builder producerProperties(final Map<String, ?> properties)
        {
            properties.forEach(this::producerProperty);
            return this;
        }

        /**
         * Sets the longest time a transaction stays open while records keep coming (default 100 ms). A
         * transaction is also committed as soon as the journal has nothing new.
         *
         * @param time the time, positive.
         * @param unit its unit.
         * @return this builder.
         */
        public Builder maxTransactionTime(final long time, final TimeUnit unit)
        {
            maxTransactionNanos = positive(unit.toNanos(time), "maxTransactionTime");
            return this;
        }

        /**
         * Sets the longest time a transaction stays open while the shipper catches up on a backlog (default 1 s;
         * never below {@link #maxTransactionTime}).
         *
         * @param time the time, positive.
         * @param unit its unit.
         * @return this builder.
         */
        public Builder maxCatchUpTransactionTime(final long time, final TimeUnit unit)
        {
            maxCatchUpTransactionNanos = positive(unit.toNanos(time), "maxCatchUpTransactionTime");
            return this;
        }

        /**
         * Sets the most records in one transaction (default {@value ShipperConfig#DEFAULT_MAX_TRANSACTION_RECORDS}).
         *
         * @param records the count, positive.
         * @return this builder.
         */
        public Builder maxTransactionRecords(final int records)
        {
            maxTransactionRecords = (int)positive(records, "maxTransactionRecords");
            return this;
        }

        /**
         * Sets the interval between writes of the position file (default 1 s).
         *
         * @param time the interval, positive.
         * @param unit its unit.
         * @return this builder.
         */
        public Builder positionInterval(final long time, final TimeUnit unit)
        {
            positionIntervalNanos = positive(unit.toNanos(time), "positionInterval");
            return this;
        }

        /**
         * Sets the wait before reconnecting after a failure (default 500 ms).
         *
         * @param time the wait, positive.
         * @param unit its unit.
         * @return this builder.
         */
        public Builder retryBackoff(final long time, final TimeUnit unit)
        {
            retryBackoffNanos = positive(unit.toNanos(time), "retryBackoff");
            return this;
        }

        /**
         * Sets the park when the journal has nothing new (default 100 us).
         *
         * @param time the park, positive.
         * @param unit its unit.
         * @return this builder.
         */
        public Builder idlePark(final long time, final TimeUnit unit)
        {
            idleParkNanos = positive(unit.toNanos(time), "idlePark");
            return this;
        }

        /**
         * Sets the interval between measurements of the journal's head (default 1 s; 0 turns them off).
         *
         * @param time the interval, not negative.
         * @param unit its unit.
         * @return this builder.
         */
        public Builder lagInterval(final long time, final TimeUnit unit)
        {
            if (time < 0)
            {
                throw new IllegalArgumentException("lagInterval=" + time + " must not be negative");
            }
            lagIntervalNanos = unit.toNanos(time);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration.
         */
        public ShipperConfig build()
        {
            return new ShipperConfig(this);
        }

        private static long positive(final long value, final String what)
        {
            if (value < 1)
            {
                throw new IllegalArgumentException(what + "=" + value + " must be positive");
            }
            return value;
        }

        private static String requireNonBlank(final String value, final String what)
        {
            Objects.requireNonNull(value, what);
            if (value.isBlank())
            {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
