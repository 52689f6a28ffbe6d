package io.ringwal.disruptor.flag;

import java.nio.file.Path;

import org.agrona.MutableDirectBuffer;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalSerializer;
import io.ringwal.disruptor.JournallingEventHandler;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.JournalWriter;
import io.ringwal.tool.JournalDumper;
import io.ringwal.tool.JournalVerifier;

/**
 * Child JVM for {@link MissingAgronaFlagTest}, started without the Agrona flag: calls one public entry point
 * ({@code args[0]}) on a journal ({@code args[1]}; an existing one for the read-only entry points) and prints
 * {@code FAILED <exception class>: <message>} for what it throws, or {@code OPENED} if it did not throw.
 */
public final class EntryPointChild
{
    private EntryPointChild()
    {
    }

    /**
     * Calls one entry point.
     *
     * @param args the entry point's name and the journal directory.
     */
    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[1]);
        try
        {
            call(args[0], dir);
            System.out.println("OPENED");
        }
        catch (final Throwable ex)
        {
            System.out.println("FAILED " + ex.getClass().getName() + ": " + ex.getMessage());
        }
        System.out.flush();
    }

    private static void call(final String entryPoint, final Path dir) throws Exception
    {
        switch (entryPoint)
        {
            case "writer":
                JournalWriter.open(dir, JournalConfig.builder().build()).close();
                break;
            case "reader":
                JournalReader.open(dir, 0).close();
                break;
            case "pipeline":
                JournalPipeline.builder(dir).ringSize(64).build().start().close();
                break;
            case "journalling-handler":
                JournallingEventHandler.open(dir, JournalConfig.builder().build(), new JournalSerializer<Long>()
                {
                    @Override
                    public int length(final Long event)
                    {
                        return Long.BYTES;
                    }

                    @Override
                    public void write(final Long event, final MutableDirectBuffer buffer)
                    {
                        buffer.putLong(0, event);
                    }
                }).onShutdown();
                break;
            case "verifier":
                JournalVerifier.verify(dir);
                break;
            case "dumper":
                JournalDumper.dump(dir, 0, 10, (sequence, buffer, offset, length) -> true);
                break;
            default:
                throw new IllegalArgumentException("no entry point " + entryPoint);
        }
    }
}
