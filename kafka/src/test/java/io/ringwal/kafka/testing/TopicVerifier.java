package io.ringwal.kafka.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.ringwal.journal.JournalReader;
import io.ringwal.kafka.SequenceHeader;

/**
 * Checks a single-partition topic against its journal with a {@code read_committed} consumer, incrementally:
 * every committed record must carry the next sequence (none missing, none twice, in order) and the same bytes
 * as the journal's record with that sequence.
 */
public final class TopicVerifier implements AutoCloseable
{
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final JournalReader journal;
    private final long firstSequence;
    private long next;
    private byte[] expected;

    /**
     * Creates a verifier.
     *
     * @param bootstrapServers the broker.
     * @param topic            the topic (one partition).
     * @param journalDir       the journal.
     * @param firstSequence    the sequence the topic must start with.
     */
    public TopicVerifier(final String bootstrapServers, final String topic, final Path journalDir,
        final long firstSequence)
    {
        consumer = new KafkaConsumer<>(props(bootstrapServers));
        partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        journal = JournalReader.open(journalDir, firstSequence);
        this.firstSequence = firstSequence;
        this.next = firstSequence;
    }

    /**
     * A read_committed consumer configuration.
     *
     * @param bootstrapServers the broker.
     * @return the properties.
     */
    public static Properties props(final String bootstrapServers)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /**
     * Reads and checks everything committed so far (up to the last stable offset).
     *
     * @return the next sequence expected: every sequence below it was found once, in order, byte-identical.
     */
    public long verifyCommitted()
    {
        final long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.position(partition, Duration.ofSeconds(30)) < end)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("could not read " + partition + " up to offset " + end + " in 60 s");
            }
            check(consumer.poll(Duration.ofMillis(200)));
        }
        return next;
    }

    /**
     * Reads and checks until every sequence below {@code end} was found.
     *
     * @param end     the sequence to reach.
     * @param timeout how long to wait.
     */
    public void verifyUpTo(final long end, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (next < end)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("only sequences " + firstSequence + ".." + (next - 1) + " of " +
                    firstSequence + ".." + (end - 1) + " arrived within " + timeout);
            }
            check(consumer.poll(Duration.ofMillis(200)));
        }
        // nothing beyond the end
        check(consumer.poll(Duration.ofMillis(500)));
        if (next != end)
        {
            throw new AssertionError("the topic holds sequences beyond " + (end - 1) + ": up to " + (next - 1));
        }
    }

    private void check(final Iterable<ConsumerRecord<byte[], byte[]>> records)
    {
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            final long sequence = SequenceHeader.decode(record.headers());
            if (sequence != next)
            {
                throw new AssertionError("offset " + record.offset() + " holds sequence " + sequence + ", expected " +
                    next + (sequence >= 0 && sequence < next ? " (a duplicate)" : " (a gap)"));
            }
            expected = null;
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (expected == null)
            {
                journal.poll((seq, buffer, offset, length) ->
                {
                    expected = new byte[length];
                    buffer.getBytes(offset, expected);
                }, 1);
                if (expected == null && System.nanoTime() > deadline)
                {
                    throw new AssertionError("the journal has no sequence " + sequence + " but the topic has");
                }
            }
            if (!Arrays.equals(expected, record.value()))
            {
                throw new AssertionError("sequence " + sequence + " differs: journal " + expected.length +
                    " bytes, topic " + record.value().length + " bytes");
            }
            next++;
        }
    }

    /**
     * Reads every committed record of every partition of a topic.
     *
     * @param bootstrapServers the broker.
     * @param topic            the topic.
     * @param expectedCount    how many records to wait for.
     * @param timeout          how long to wait.
     * @return the records.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
        final String bootstrapServers, final String topic, final long expectedCount, final Duration timeout)
    {
        final List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props(bootstrapServers)))
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : consumer.partitionsFor(topic))
            {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (all.size() < expectedCount && System.nanoTime() < deadline)
            {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(all::add);
        }
        return all;
    }

    /**
     * The next sequence expected.
     *
     * @return the sequence.
     */
    public long next()
    {
        return next;
    }

    @Override
    public void close()
    {
        consumer.close();
        journal.close();
    }
}
