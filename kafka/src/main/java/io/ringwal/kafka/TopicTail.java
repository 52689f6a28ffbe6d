package io.ringwal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds the highest journal sequence committed in a topic: per partition, reads back from the last stable
 * offset with {@code read_committed} (aborted records and transaction markers are skipped) to the last
 * record, and takes its sequence header. Because the shipper commits contiguous, ascending ranges of
 * sequences one transaction at a time, the highest sequence over all partitions ends the committed prefix.
 */
final class TopicTail
{
    private static final int FIRST_WINDOW = 64;

    private TopicTail()
    {
    }

    /**
     * The highest committed sequence.
     *
     * <p>A partition's last stable offset can be stale after a broker restarts (the high watermark comes back
     * from a checkpoint and moves only when something is appended). So before reading offsets the caller is
     * handed the partitions to append to ({@code appendFirst}): the shipper appends a record in a transaction
     * it then aborts, which moves the high watermark past every earlier committed record.
     *
     * @param bootstrapServers the servers.
     * @param topic            the topic.
     * @param consumerProperties extra client properties (security settings), may be empty.
     * @param appendFirst      appends to every partition (and waits for the acknowledgement) before the offsets
     *                         are read.
     * @param timeout          how long each request may take.
     * @return the highest sequence, or -1 if the topic holds no committed record.
     * @throws ShipperException if the topic does not exist or holds a record without a sequence header.
     * @throws org.apache.kafka.common.KafkaException if the broker cannot be reached in time.
     */
    static long lastCommittedSequence(
        final String bootstrapServers, final String topic, final Map<String, Object> consumerProperties,
        final Consumer<List<TopicPartition>> appendFirst, final Duration timeout)
    {
        final Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ringwal-ship-resume-" + topic);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props))
        {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty())
            {
                throw new ShipperException("topic " + topic + " does not exist on " + bootstrapServers +
                    " (create it first; the shipper does not create topics)");
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : infos)
            {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            appendFirst.accept(partitions);
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long highest = -1;
            for (final TopicPartition partition : partitions)
            {
                highest = Math.max(highest, lastSequence(consumer, partition, begin.get(partition),
                    end.get(partition), timeout));
            }
            return highest;
        }
    }

    private static long lastSequence(
        final KafkaConsumer<byte[], byte[]> consumer, final TopicPartition partition, final long begin,
        final long end, final Duration timeout)
    {
        consumer.assign(List.of(partition));
        long window = FIRST_WINDOW;
        while (true)
        {
            final long from = Math.max(begin, end - window);
            consumer.seek(partition, from);
            long last = -1;
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new org.apache.kafka.common.errors.TimeoutException("reading " + partition +
                        " from offset " + from + " to " + end + " took longer than " + timeout);
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    final long sequence = SequenceHeader.decode(record.headers());
                    if (sequence < 0)
                    {
                        throw new ShipperException("topic " + partition.topic() + " partition " +
                            partition.partition() + " offset " + record.offset() + " holds a record without a " +
                            SequenceHeader.KEY + " header: it was not written by a ringwal shipper; ship into " +
                            "a topic of its own");
                    }
                    last = Math.max(last, sequence);
                }
            }
            if (last >= 0)
            {
                return last;
            }
            if (from == begin)
            {
                return -1;
            }
            window *= 4;
        }
    }
}
