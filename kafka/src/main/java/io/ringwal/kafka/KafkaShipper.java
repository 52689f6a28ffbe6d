package io.ringwal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.agrona.DirectBuffer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.ringwal.journal.ReaderPosition;
import io.ringwal.journal.JournalCorruptedException;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;

/**
 * Ships a journal into a Kafka topic, exactly once per journal sequence: tails the journal directory with a
 * {@link JournalReader} (across rotations, the writer in this process or another) and produces each record,
 * with its sequence in the {@link SequenceHeader}, through a transactional producer.
 *
 * <p>How exactly-once holds: records go out in sequence order in transactions of contiguous sequences, each
 * committed before the next begins. On start and after every failure the shipper makes a new producer with
 * the same transactional id; its {@code initTransactions()} fences any earlier producer with that id (a
 * killed shipper's requests still in flight are refused) and completes or aborts its open transaction. Only
 * then does the shipper read the topic's last committed record ({@code read_committed}) and resume at the
 * sequence after it. Kafka is the only state that decides where to resume; the position file written beside
 * the journal ({@link ReaderPosition}) lags it and serves retention only.
 *
 * <p>Failures of the broker (unreachable, restarting, timeouts) are retried for ever, counted in
 * {@link ShipperCounters#failures()}. A missing topic, a fenced producer (another shipper with the same
 * transactional id), a topic holding foreign records and a damaged or already-deleted journal end the run
 * with a {@link ShipperException}.
 *
 * <p>{@link #run()} ships on the calling thread until {@link #stop()} or until
 * {@link ShipperConfig#untilSequence()} is committed. Reading the journal allocates nothing; each record
 * costs what the Kafka client API needs (a {@code ProducerRecord}, its header and a copy of the payload).
 */
public final class KafkaShipper implements Runnable, AutoCloseable, RecordHandler
{
    private static final Logger LOG = Logger.getLogger(KafkaShipper.class.getName());
    private static final int POLL_LIMIT = 1024;
    /** Reads that filled a whole batch back to back (64 x 1,024 records) before a backlog counts as catching up. */
    private static final int CATCH_UP_FULL_POLLS = 64;
    private static final Integer PARTITION_ZERO = 0;
    private static final byte[] EMPTY = new byte[0];
    /** Header of the aborted record appended before the resume point is read. */
    static final String PROBE_HEADER = "ringwal.probe";

    private final ShipperConfig config;
    private final ShipperCounters counters = new ShipperCounters();
    private final Callback callback = this::onCompletion;
    private final Map<String, Object> consumerProperties = new HashMap<>();

    private volatile boolean stopRequested;
    private volatile Exception sendFailure;

    private KafkaProducer<byte[], byte[]> producer;
    private JournalReader reader;
    private JournalHead head;
    private long committedNext = -1;
    private long readNext;
    private int txnRecords;
    private int fullPolls;
    private long txnBytes;
    private long txnStartNanos;
    private long lastPositionNanos;
    private long positionWritten = -1;
    private long lastLagNanos;
    private boolean closed;

    /**
     * Creates a shipper; nothing connects until {@link #run()}.
     *
     * @param config the configuration.
     */
    public KafkaShipper(final ShipperConfig config)
    {
        this.config = Objects.requireNonNull(config, "config");
        config.producerProperties().forEach((key, value) ->
        {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.") ||
                key.equals("client.dns.lookup"))
            {
                consumerProperties.put(key, value);
            }
        });
    }

    /**
     * The configuration.
     *
     * @return the configuration.
     */
    public ShipperConfig config()
    {
        return config;
    }

    /**
     * The counters, readable from any thread.
     *
     * @return the counters.
     */
    public ShipperCounters counters()
    {
        return counters;
    }

    /**
     * Asks {@link #run()} to commit what it has sent and return. Callable from any thread.
     */
    public void stop()
    {
        stopRequested = true;
    }

    /**
     * Ships until {@link #stop()} is called or every sequence below {@link ShipperConfig#untilSequence()} is
     * committed, then commits the open transaction, writes the position file and returns (the producer stays
     * open until {@link #close()}).
     *
     * @throws ShipperException if the shipper cannot go on (see the class comment).
     */
    @Override
    public void run()
    {
        if (closed)
        {
            throw new IllegalStateException("shipper is closed");
        }
        while (!stopRequested)
        {
            try
            {
                if (producer == null)
                {
                    connect();
                }
                if (committedNext >= config.untilSequence())
                {
                    break;
                }
                if (shipSome() == 0 && txnRecords == 0)
                {
                    LockSupport.parkNanos(this, config.idleParkNanos());
                }
            }
            catch (final ShipperException ex)
            {
                throw ex;
            }
            catch (final UnsupportedVersionException | AuthorizationException ex)
            {
                throw new ShipperException("cannot ship with transactional id " + config.transactionalId() +
                    ": " + ex.getMessage(), ex);
            }
            catch (final JournalCorruptedException ex)
            {
                throw new ShipperException("journal " + config.directory() + " is damaged: " + ex.getMessage(), ex);
            }
            catch (final KafkaException | IllegalStateException ex)
            {
                final Throwable fenced = fencing(ex);
                if (fenced != null)
                {
                    // retrying would fence the other shipper in turn, and the two would take turns for ever
                    throw new ShipperException("fenced with transactional id " + config.transactionalId() + ": " +
                        fenced.getMessage() + " (another shipper with the same transactional id took over)", ex);
                }
                onFailure(ex);
            }
        }
        finish();
    }

    /**
     * Releases the producer and the journal readers (an open transaction is left to be aborted by the next
     * shipper with the same transactional id). Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            closeProducer(Duration.ofSeconds(5));
            if (reader != null)
            {
                reader.close();
            }
            if (head != null)
            {
                head.close();
            }
        }
    }

    @Override
    public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (txnRecords == 0)
        {
            producer.beginTransaction();
            txnStartNanos = System.nanoTime();
        }
        final byte[] value = new byte[length];
        buffer.getBytes(offset, value);
        final RecordHeaders headers = new RecordHeaders(new Header[] {
            new RecordHeader(SequenceHeader.KEY, SequenceHeader.encode(sequence))});
        final RecordKeyFunction keyFunction = config.keyFunction();
        final byte[] key = keyFunction == null ? null : keyFunction.key(sequence, buffer, offset, length);
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.topic(),
            keyFunction == null ? PARTITION_ZERO : null, key, value, (Iterable<Header>)headers);
        txnRecords++;
        txnBytes += length;
        readNext = sequence + 1;
        producer.send(record, callback);
    }

    private int shipSome()
    {
        final Exception failure = sendFailure;
        if (failure != null)
        {
            throw failure instanceof KafkaException ? (KafkaException)failure :
                new KafkaException("send failed: " + failure, failure);
        }
        final long room = config.untilSequence() - readNext;
        final int n = room > 0 ? reader.poll(this, (int)Math.min(POLL_LIMIT, room)) : 0;
        fullPolls = n == POLL_LIMIT ? fullPolls + 1 : 0;
        counters.readSequence = readNext;
        final long now = System.nanoTime();
        if (txnRecords > 0)
        {
            final long age = now - txnStartNanos;
            final boolean behind = fullPolls >= CATCH_UP_FULL_POLLS;
            if (n == 0 || txnRecords >= config.maxTransactionRecords() ||
                age >= (behind ? config.maxCatchUpTransactionNanos() : config.maxTransactionNanos()))
            {
                commit();
            }
        }
        if (now - lastPositionNanos >= config.positionIntervalNanos())
        {
            writePosition(now);
        }
        if (head != null && now - lastLagNanos >= config.lagIntervalNanos())
        {
            measureHead(now);
        }
        return n;
    }

    private void commit()
    {
        final long start = System.nanoTime();
        producer.commitTransaction();
        counters.commitNanos += System.nanoTime() - start;
        committedNext = readNext;
        counters.bytesShipped += txnBytes;
        counters.transactionsCommitted++;
        counters.nextSequence = committedNext;
        txnRecords = 0;
        txnBytes = 0;
    }

    private void connect()
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ringwal-ship-" + config.name());
        props.putAll(config.producerProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        sendFailure = null;
        producer = new KafkaProducer<>(props);
        // fences every earlier producer with this transactional id and ends its open transaction
        producer.initTransactions();
        final long last = TopicTail.lastCommittedSequence(config.bootstrapServers(), config.topic(),
            consumerProperties, this::appendAborted, Duration.ofMillis(Long.parseLong(props.getProperty(
                ProducerConfig.MAX_BLOCK_MS_CONFIG))));
        final long resume;
        if (last >= 0)
        {
            resume = last + 1;
        }
        else
        {
            resume = config.fromSequence() >= 0 ? config.fromSequence() :
                JournalHead.firstKeptSequence(config.directory());
        }
        LOG.log(Level.INFO, () -> "shipper " + config.name() + ": resuming at sequence " + resume + " (topic " +
            config.topic() + (last >= 0 ? " holds sequences up to " + last : " is empty") + "; " +
            (txnRecords > 0 ? "the failed transaction held " + (readNext - txnRecords) + ".." + (readNext - 1) :
            "no transaction was open") + ")");
        if (txnRecords > 0)
        {
            // the transaction that failed: committed after all (the commit reached the coordinator) or aborted
            if (resume == readNext)
            {
                counters.bytesShipped += txnBytes;
                counters.transactionsCommitted++;
            }
            else
            {
                counters.transactionsAborted++;
            }
            txnRecords = 0;
            txnBytes = 0;
        }
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
        try
        {
            reader = JournalReader.open(config.directory(), resume);
        }
        catch (final JournalException ex)
        {
            throw new ShipperException("cannot resume at sequence " + resume + " (the topic's last committed " +
                "sequence is " + last + "): " + ex.getMessage(), ex);
        }
        committedNext = resume;
        readNext = resume;
        if (counters.startSequence < 0)
        {
            counters.startSequence = resume;
            if (config.lagIntervalNanos() > 0)
            {
                head = new JournalHead(config.directory(), resume);
            }
        }
        counters.readSequence = resume;
        counters.nextSequence = resume;
    }

    /**
     * Appends one empty record to each partition in a transaction and aborts it: once the append is
     * acknowledged, each partition's high watermark (and so its last stable offset) lies past every record
     * committed before, even right after a broker restart. Consumers reading committed records never see it.
     */
    private void appendAborted(final List<TopicPartition> partitions)
    {
        producer.beginTransaction();
        final List<Future<RecordMetadata>> acks = new ArrayList<>(partitions.size());
        for (final TopicPartition partition : partitions)
        {
            final Iterable<Header> headers = new RecordHeaders(new Header[] {new RecordHeader(PROBE_HEADER, EMPTY)});
            acks.add(producer.send(new ProducerRecord<byte[], byte[]>(partition.topic(), partition.partition(),
                (byte[])null, EMPTY, headers)));
        }
        producer.flush();
        for (final Future<RecordMetadata> ack : acks)
        {
            try
            {
                ack.get();
            }
            catch (final ExecutionException ex)
            {
                throw ex.getCause() instanceof KafkaException ? (KafkaException)ex.getCause() :
                    new KafkaException("probe append failed: " + ex.getCause(), ex.getCause());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted", ex);
            }
        }
        producer.abortTransaction();
    }

    /**
     * The fencing error in a failure's causes: a newer producer with this transactional id exists. A shipper's
     * own producers never fence each other (each failure closes the producer before the next is made, and a
     * transaction lasts far less than {@code transaction.timeout.ms}), so it means another shipper.
     */
    private static Throwable fencing(final Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException)
            {
                return t;
            }
        }
        return null;
    }

    private void onFailure(final RuntimeException ex)
    {
        LOG.log(Level.WARNING, "shipper " + config.name() + ": " + ex + "; reconnecting");
        counters.failures++;
        counters.lastFailure = ex.toString();
        closeProducer(Duration.ZERO);
        final long deadline = System.nanoTime() + config.retryBackoffNanos();
        long left;
        while (!stopRequested && (left = deadline - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(this, Math.min(left, 50_000_000L));
        }
    }

    private void finish()
    {
        if (producer == null)
        {
            return;
        }
        try
        {
            if (txnRecords > 0)
            {
                commit();
            }
            writePosition(System.nanoTime());
        }
        catch (final KafkaException ex)
        {
            counters.failures++;
            counters.lastFailure = ex.toString();
        }
    }

    private void writePosition(final long nowNanos)
    {
        lastPositionNanos = nowNanos;
        if (committedNext >= 0 && committedNext != positionWritten)
        {
            try
            {
                ReaderPosition.write(config.directory(), config.name(), committedNext, System.currentTimeMillis());
                positionWritten = committedNext;
                counters.positionWrites++;
            }
            catch (final java.io.UncheckedIOException ex)
            {
                // an old position only makes retention keep more; shipping goes on and the write is tried again
                counters.lastFailure = ex.getMessage();
                LOG.log(Level.WARNING, "shipper " + config.name() + ": " + ex.getMessage() + "; shipping goes on, " +
                    "retention keeps the segments from the position last written");
            }
        }
    }

    private void measureHead(final long nowNanos)
    {
        lastLagNanos = nowNanos;
        try
        {
            head.advance();
            counters.headSequence = head.nextSequence();
            counters.headBytes = head.bytes();
        }
        catch (final JournalException ex)
        {
            // the shipping reader reports damage itself when it gets there; the lag just stops moving
            head.close();
            head = null;
        }
    }

    private void closeProducer(final Duration timeout)
    {
        final KafkaProducer<byte[], byte[]> current = producer;
        producer = null;
        if (current != null)
        {
            try
            {
                current.close(timeout);
            }
            catch (final KafkaException ex)
            {
                // closing a producer that already failed
            }
        }
    }

    private void onCompletion(final RecordMetadata metadata,
        final Exception exception)
    {
        if (exception != null && sendFailure == null)
        {
            sendFailure = exception;
        }
    }
}
