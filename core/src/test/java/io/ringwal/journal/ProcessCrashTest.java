package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;


/**
 * A process crash ({@code kill -9}) loses nothing that was written (at or below {@code writtenSequence()}: every
 * appended record with mapped writes, every record of an ended batch with staged ones), under every force policy
 * and write mode: the page cache survives the process. (It proves nothing about power loss; see {@link PowerLossTest}.)
 */
class ProcessCrashTest
{
    private static final int SEGMENT_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"every-batch,STAGED", "every-batch,MAPPED", "never,MAPPED", "never,STAGED",
        "bounded:50ms:1048576,STAGED", "bounded:50ms:1048576,MAPPED"})
    void shouldKeepEveryWrittenRecordAcrossKillNine(final String policy, final WriteMode writeMode) throws Exception
    {
        long lastWritten = -1;
        for (int kill = 0; kill < 3; kill++)
        {
            final Process child = startChild(dir.toString(), policy, "-1", Integer.toString(SEGMENT_SIZE),
                writeMode.name());
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
            {
                final String open = lines.readLine();
                assertThat(open).as("child opened the journal").startsWith("OPEN ");
                assertThat(Long.parseLong(open.substring(5))).as("it continues at last + 1")
                    .isEqualTo(lastWritten + 1);
                final int batches = ThreadLocalRandom.current().nextInt(50, 2000);
                for (int i = 0; i < batches; i++)
                {
                    final String line = lines.readLine();
                    assertThat(line).as("child output").isNotNull().startsWith("W ");
                    lastWritten = Long.parseLong(line.split(" ")[1]);
                }
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            finally
            {
                child.destroyForcibly();
            }
            try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder()
                .segmentSize(SEGMENT_SIZE).forcePolicy(ForcePolicy.parse(policy)).build()))
            {
                final long recovered = writer.recoveryReport().lastSequence();
                assertThat(recovered).as("every reported append survived kill -9").isGreaterThanOrEqualTo(lastWritten);
                lastWritten = recovered;
            }
        }
        final long[] expected = {0};
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).isEqualTo(expected[0]);
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                assertThat(bytes).isEqualTo(AppendingChild.payload(sequence));
                expected[0]++;
            }, 1000) > 0)
            {
                // drain
            }
        }
        assertThat(expected[0] - 1).isEqualTo(lastWritten);
    }

    private static Process startChild(final String... args) throws java.io.IOException
    {
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), AppendingChild.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
