package io.ringwal.kafka.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;
import io.ringwal.kafka.KafkaShipper;
import io.ringwal.kafka.SequenceHeader;
import io.ringwal.kafka.ShipperConfig;
import io.ringwal.kafka.testing.KafkaBroker;
import io.ringwal.kafka.testing.TopicVerifier;

/**
 * Ship rate and end-to-end lag of {@link KafkaShipper} beside a plain idempotent {@link KafkaProducer} fed the
 * same records, against one real broker (a forked JVM on loopback) in the same run.
 *
 * <ul>
 *   <li>rate: a journal of {@code N} records written beforehand is shipped (transactional, sequence header) and,
 *   separately, read with a {@link JournalReader} and sent by a plain idempotent producer (acks=all, the same
 *   header, same linger and batch size) then flushed; records/s of each, twice, best kept.</li>
 *   <li>lag: a producer thread publishes through a {@link JournalPipeline} at a fixed rate with its publish time
 *   in the payload; a {@code read_committed} consumer takes the time each record becomes visible (journal write
 *   to committed in Kafka). Beside it, the plain producer is sent the same stream directly (no journal) and a
 *   consumer measures publish to visible.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -pl kafka -am test-compile -DskipTests} then
 * {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp "$(cat kafka/target/test-classpath.txt)"
 * io.ringwal.kafka.bench.ShipBenchmark} (see docs/KAFKA.md). System properties: {@code bench.sizes} (64,1024),
 * {@code bench.records.64} (1000000), {@code bench.records.1024} (200000), {@code bench.rate} (100000),
 * {@code bench.lagSeconds} (8), {@code bench.rounds} (3), {@code bench.txnMs} (100: the shipper's
 * longest transaction).
 */
public final class ShipBenchmark
{
    private static final String LINGER_MS = "5";
    private static final String BATCH_SIZE = Integer.toString(256 * 1024);

    private ShipBenchmark()
    {
    }

    /**
     * Runs the benchmark.
     *
     * @param args ignored.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path root = Files.createTempDirectory("ringwal-ship-bench");
        final long brokerStart = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.start(root.resolve("broker")))
        {
            System.out.printf("broker up in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - brokerStart));
            final String[] sizes = System.getProperty("bench.sizes", "64,1024").split(",");
            final long rate = Long.getLong("bench.rate", 100_000);
            final int lagSeconds = Integer.getInteger("bench.lagSeconds", 8);
            for (final String sizeText : sizes)
            {
                final int size = Integer.parseInt(sizeText.trim());
                final long records = Long.getLong("bench.records." + size, size <= 64 ? 1_000_000 : 200_000);
                final Path journal = root.resolve("journal-" + size);
                writeJournal(journal, size, records);
                double bestShip = 0;
                double bestPlain = 0;
                final int rounds = Integer.getInteger("bench.rounds", 3);
                for (int round = 0; round < rounds; round++)
                {
                    final String suffix = size + "-" + round;
                    broker.createTopic("plain-" + suffix, 1);
                    broker.createTopic("ship-" + suffix, 1);
                    // alternate which goes first, so that neither always runs on a warmer JIT or page cache
                    final boolean plainFirst = round % 2 == 0;
                    double plain = plainFirst ? plainRate(broker, journal, "plain-" + suffix, records) : 0;
                    final double ship = shipRate(broker, journal, "ship-" + suffix, records);
                    plain = plainFirst ? plain : plainRate(broker, journal, "plain-" + suffix, records);
                    System.out.printf("rate %4d B round %d: plain idempotent producer %,.0f records/s, shipper " +
                        "%,.0f records/s (%.2fx)%n", size, round, plain, ship, ship / plain);
                    bestPlain = Math.max(bestPlain, plain);
                    bestShip = Math.max(bestShip, ship);
                }
                System.out.printf("RATE %4d B: plain %,.0f records/s (%.1f MiB/s), shipper %,.0f records/s " +
                    "(%.1f MiB/s), ratio %.2f%n", size, bestPlain, bestPlain * size / 1048576.0, bestShip,
                    bestShip * size / 1048576.0, bestShip / bestPlain);
                IoUtil.delete(journal.toFile(), true);
                broker.createTopic("lag-ship-" + size, 1);
                broker.createTopic("lag-plain-" + size, 1);
                final Histogram plainLag = lagPlain(broker, "lag-plain-" + size, size, rate, lagSeconds);
                final Histogram shipLag = lagShip(broker, root.resolve("lag-journal-" + size), "lag-ship-" + size,
                    size, rate, lagSeconds);
                System.out.printf("LAG %4d B at %,d records/s: plain producer publish->visible p50 %.2f ms " +
                    "p99 %.2f ms max %.1f ms (%d records); shipper journal write->committed p50 %.2f ms p99 %.2f " +
                    "ms max %.1f ms (%d records)%n", size, rate, plainLag.getValueAtPercentile(50) / 1e6,
                    plainLag.getValueAtPercentile(99) / 1e6, plainLag.getMaxValue() / 1e6,
                    plainLag.getTotalCount(), shipLag.getValueAtPercentile(50) / 1e6,
                    shipLag.getValueAtPercentile(99) / 1e6, shipLag.getMaxValue() / 1e6, shipLag.getTotalCount());
            }
        }
        finally
        {
            IoUtil.delete(root.toFile(), true);
        }
    }

    private static void writeJournal(final Path dir, final int size, final long records)
    {
        final byte[] payload = new byte[size];
        try (JournalPipeline pipeline = pipeline(dir, size))
        {
            for (long i = 0; i < records; i++)
            {
                payload[0] = (byte)i;
                pipeline.publish(payload, 0, size);
            }
        }
    }

    private static JournalPipeline pipeline(final Path dir, final int size)
    {
        return JournalPipeline.builder(dir)
            .journalConfig(JournalConfig.builder().forcePolicy(ForcePolicy.never()).build())
            .maxRecordSize(Math.max(size, 64))
            .build()
            .start();
    }

    private static double shipRate(final KafkaBroker broker, final Path journal, final String topic,
        final long records)
    {
        final long start = System.nanoTime();
        try (KafkaShipper shipper = new KafkaShipper(ShipperConfig.builder(journal, broker.bootstrapServers(), topic)
            .name(topic).untilSequence(records).lagInterval(0, TimeUnit.SECONDS)
            .maxTransactionTime(Long.getLong("bench.txnMs", 100), TimeUnit.MILLISECONDS).build()))
        {
            // the start (producer, fencing, finding the resume point) is timed apart from the shipping
            final AtomicLong shippingFrom = new AtomicLong();
            final Thread watcher = new Thread(() ->
            {
                while (shipper.counters().startSequence() < 0)
                {
                    LockSupport.parkNanos(200_000);
                }
                shippingFrom.set(System.nanoTime());
            });
            watcher.setDaemon(true);
            watcher.start();
            shipper.run();
            final long end = System.nanoTime();
            System.out.printf("  shipper: started in %d ms (%,.0f records/s counting the start), %s%n",
                TimeUnit.NANOSECONDS.toMillis(shippingFrom.get() - start), records / ((end - start) / 1e9),
                shipper.counters());
            return records / ((end - shippingFrom.get()) / 1e9);
        }
    }

    private static Properties plainProps(final KafkaBroker broker)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static double plainRate(final KafkaBroker broker, final Path journal, final String topic,
        final long records)
    {
        final long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(plainProps(broker));
             JournalReader reader = JournalReader.open(journal, 0))
        {
            final AtomicLong sent = new AtomicLong();
            while (sent.get() < records)
            {
                if (reader.poll((sequence, buffer, offset, length) ->
                {
                    final byte[] value = new byte[length];
                    buffer.getBytes(offset, value);
                    producer.send(record(topic, sequence, value));
                    sent.incrementAndGet();
                }, (int)Math.min(1024, records - sent.get())) == 0)
                {
                    LockSupport.parkNanos(100_000);
                }
            }
            producer.flush();
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }

    private static ProducerRecord<byte[], byte[]> record(final String topic, final long sequence,
        final byte[] value)
    {
        final Iterable<Header> headers = new RecordHeaders(new Header[] {
            new RecordHeader(SequenceHeader.KEY, SequenceHeader.encode(sequence))});
        return new ProducerRecord<>(topic, 0, (byte[])null, value, headers);
    }

    private static Histogram lagPlain(final KafkaBroker broker, final String topic, final int size, final long rate,
        final int seconds) throws InterruptedException
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicBoolean done = new AtomicBoolean();
        final Thread consumer = consume(broker, topic, histogram, done);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(plainProps(broker)))
        {
            paced(size, rate, seconds, (sequence, payload) -> producer.send(record(topic, sequence, payload)));
            producer.flush();
        }
        Thread.sleep(2_000);
        done.set(true);
        consumer.join();
        return histogram;
    }

    private static Histogram lagShip(final KafkaBroker broker, final Path journal, final String topic,
        final int size, final long rate, final int seconds) throws InterruptedException
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicBoolean done = new AtomicBoolean();
        final Thread consumer = consume(broker, topic, histogram, done);
        try (JournalPipeline pipeline = pipeline(journal, size))
        {
            // a first record so that the journal exists before the shipper opens it
            paced(size, 1, 0, (sequence, payload) -> pipeline.publish(payload, 0, payload.length));
            final KafkaShipper shipper = new KafkaShipper(ShipperConfig.builder(journal, broker.bootstrapServers(),
                topic).maxTransactionTime(Long.getLong("bench.txnMs", 100), TimeUnit.MILLISECONDS).build());
            final Thread shipping = new Thread(shipper, "shipper");
            shipping.start();
            Thread.sleep(1_000);
            paced(size, rate, seconds, (sequence, payload) -> pipeline.publish(payload, 0, payload.length));
            Thread.sleep(2_000);
            shipper.stop();
            shipping.join();
            System.out.println("  shipper: " + shipper.counters());
            shipper.close();
        }
        done.set(true);
        consumer.join();
        IoUtil.delete(journal.toFile(), true);
        return histogram;
    }

    private interface Sink
    {
        void accept(long sequence, byte[] payload);
    }

    private static void paced(final int size, final long rate, final int seconds, final Sink sink)
    {
        final long count = Math.max(1, rate * seconds);
        final long start = System.nanoTime();
        for (long i = 0; i < count; i++)
        {
            final long due = start + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due)
            {
                Thread.onSpinWait();
            }
            final byte[] payload = new byte[size];
            final long now = System.nanoTime();
            for (int b = 0; b < 8; b++)
            {
                payload[b] = (byte)(now >>> (8 * b));
            }
            sink.accept(i, payload);
        }
    }

    private static Thread consume(final KafkaBroker broker, final String topic, final Histogram histogram,
        final AtomicBoolean done)
    {
        final Properties props = TopicVerifier.props(broker.bootstrapServers());
        props.put("fetch.max.wait.ms", "5");
        final Thread thread = new Thread(() ->
        {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props))
            {
                final TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (!done.get())
                {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50)))
                    {
                        final long now = System.nanoTime();
                        final byte[] value = record.value();
                        if (value.length < 8)
                        {
                            continue;
                        }
                        long published = 0;
                        for (int b = 7; b >= 0; b--)
                        {
                            published = (published << 8) | (value[b] & 0xFF);
                        }
                        histogram.recordValue(Math.max(0, Math.min(now - published, histogram.getHighestTrackableValue())));
                    }
                }
            }
        }, "lag-consumer-" + topic);
        thread.start();
        return thread;
    }
}
