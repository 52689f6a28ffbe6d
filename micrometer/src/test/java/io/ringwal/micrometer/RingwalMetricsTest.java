package io.ringwal.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.journal.JournalConfig;

class RingwalMetricsTest
{
    private static final JournalConfig CONFIG = JournalConfig.builder().segmentSize(64 * 1024).build();

    @TempDir
    Path dir;

    @Test
    void shouldExposeThePipelineCountersToASimpleMeterRegistryInProcess() throws InterruptedException
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(CONFIG).ringSize(256)
            .maxRecordSize(100).build().start();
        try
        {
            RingwalMetrics.of(pipeline, Tag.of("app", "test")).bindTo(registry);
            final long last = publish(pipeline, 5_000);
            pipeline.awaitDurable(last);
            awaitRecords(pipeline, 5_000);
            assertThat(registry.get("ringwal.records").tag("app", "test").functionCounter().count()).isEqualTo(5_000);
            assertThat(registry.get("ringwal.bytes").functionCounter().count()).isEqualTo(500_000);
            assertThat(registry.get("ringwal.durable.sequence").gauge().value()).isEqualTo(last);
            assertThat(registry.get("ringwal.written.sequence").gauge().value()).isEqualTo(last);
            assertThat(registry.get("ringwal.rotations").functionCounter().count()).isPositive();
            assertThat(registry.get("ringwal.force.time").functionCounter().count()).isPositive().isLessThan(60);
            assertThat(registry.get("ringwal.ring.fill").gauge().value()).isBetween(0.0, 256.0);
            assertThat(registry.get("ringwal.failures").functionCounter().count()).isZero();
            assertThat(registry.get("ringwal.writer.up").gauge().value()).isEqualTo(1);
            assertThat(registry.find("ringwal.forced.bytes").meter()).as("only in the counters file").isNull();
            assertThat(registry.get("ringwal.records").meter().getId().getTag("directory"))
                .isEqualTo(dir.toAbsolutePath().normalize().toString());
        }
        finally
        {
            pipeline.close();
        }
        System.gc(); // the binder was dropped: the registry must keep its source alive
        assertThat(registry.get("ringwal.writer.up").gauge().value()).isZero();
        assertThat(registry.get("ringwal.records").functionCounter().count()).isEqualTo(5_000);
    }

    @Test
    void shouldExposeTheCountersFileInAPrometheusScrape() throws InterruptedException
    {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (RingwalMetrics metrics = RingwalMetrics.ofCountersFile(dir))
        {
            metrics.bindTo(registry);
            assertThat(value(registry.scrape(), "ringwal_writer_up")).isEqualTo(0);
            try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(CONFIG).ringSize(256)
                .maxRecordSize(100).build().start())
            {
                final long last = publish(pipeline, 3_000);
                pipeline.awaitDurable(last);
                awaitRecords(pipeline, 3_000);
                Thread.sleep(1_100); // the source looks for a (new) counters file at most once a second
                final String scrape = registry.scrape();
                assertThat(scrape).contains("# TYPE ringwal_records_total counter")
                    .contains("# TYPE ringwal_durable_sequence gauge");
                assertThat(value(scrape, "ringwal_records_total")).isEqualTo(3_000);
                assertThat(value(scrape, "ringwal_bytes_total")).isEqualTo(300_000);
                assertThat(value(scrape, "ringwal_durable_sequence")).isEqualTo(last);
                assertThat(value(scrape, "ringwal_forced_bytes_total")).isPositive();
                assertThat(value(scrape, "ringwal_force_time_seconds_total")).isPositive();
                assertThat(value(scrape, "ringwal_writer_up")).isEqualTo(1);
            }
            final String closed = registry.scrape();
            assertThat(value(closed, "ringwal_writer_up")).as("closed: no live writer").isEqualTo(0);
            assertThat(value(closed, "ringwal_records_total")).as("the final counters stay").isEqualTo(3_000);
        }
    }

    /** The value of the one sample of a metric in Prometheus text format, tagged with this test's directory. */
    private double value(final String scrape, final String metric)
    {
        final String directoryTag = "directory=\"" + dir.toAbsolutePath().normalize() + "\"";
        final List<String> samples = Arrays.stream(scrape.split("\n"))
            .filter(line -> line.startsWith(metric + "{") && line.contains(directoryTag)).collect(Collectors.toList());
        assertThat(samples).as("samples of %s in:%n%s", metric, scrape).hasSize(1);
        final String line = samples.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static long publish(final JournalPipeline pipeline, final int count)
    {
        final byte[] record = new byte[100];
        long last = -1;
        for (int i = 0; i < count; i++)
        {
            last = pipeline.publish(record, 0, record.length);
        }
        return last;
    }

    private static void awaitRecords(final JournalPipeline pipeline, final long records) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (pipeline.counters().records() < records && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
    }
}
