package io.ringwal.disruptor;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;

import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;

/**
 * Starting and stopping a {@link JournalPipeline}: opening the journal and its writer thread, the close that
 * drains it, the JVM shutdown hook that closes a pipeline nobody closed, and the writer thread's reports that it
 * failed or stopped.
 */
final class PipelineLifecycle
{
    private static final System.Logger LOG = System.getLogger(JournalPipeline.class.getName());

    private final Path directory;
    private final JournalConfig config;
    private final int maxBatchSize;
    private final ThreadFactory threadFactory;
    private final Framing framing;
    private final long shutdownDrainNanos;
    private final RingBuffer<RecordSlot> ringBuffer;
    private final PipelineState state;
    private final PipelineWatermarks watermarks;
    private final RingPublisher publisher;
    private final CountDownLatch writerStopped = new CountDownLatch(1);

    private BatchEventProcessor<RecordSlot> processor;
    private Thread writerThread;
    private Thread shutdownHook;
    /** Written after the processor: true makes the processor visible. */
    private volatile boolean started;

    PipelineLifecycle(
        final Path directory,
        final JournalConfig config,
        final int maxBatchSize,
        final ThreadFactory threadFactory,
        final Framing framing,
        final long shutdownDrainNanos,
        final RingBuffer<RecordSlot> ringBuffer,
        final PipelineState state,
        final PipelineWatermarks watermarks,
        final RingPublisher publisher)
    {
        this.directory = directory;
        this.config = config;
        this.maxBatchSize = maxBatchSize;
        this.threadFactory = threadFactory;
        this.framing = framing;
        this.shutdownDrainNanos = shutdownDrainNanos;
        this.ringBuffer = ringBuffer;
        this.state = state;
        this.watermarks = watermarks;
        this.publisher = publisher;
    }

    /**
     * Opens the journal on the calling thread, hands it to a new writer thread and starts accepting; see
     * {@link JournalPipeline#start()}. The caller holds the pipeline's monitor.
     *
     * @param pipeline the pipeline the writer stage reports to.
     */
    void start(final JournalPipeline pipeline)
    {
        if (state.get() != PipelineState.NEW || started)
        {
            throw new IllegalStateException("journal pipeline " + directory + " was already started or closed");
        }
        final JournalWriter writer = JournalWriter.open(directory, config);
        try
        {
            final long sequenceOffset = writer.nextSequence();
            publisher.sequenceOffset(sequenceOffset);
            watermarks.initialDurable(writer.durableSequence());
            // every advance of the watermark, on the thread that completed the force (the force thread when pipelined)
            writer.durabilityListener(watermarks::durableAdvanced);
            writer.failureListener(this::failed);
            final WriterStage stage = new WriterStage(pipeline, writer, ringBuffer, sequenceOffset, framing);
            processor = new BatchEventProcessorBuilder().setMaxBatchSize(maxBatchSize)
                .build(ringBuffer, ringBuffer.newBarrier(), stage);
            processor.setExceptionHandler(stage);
            ringBuffer.addGatingSequences(processor.getSequence());
            writerThread = threadFactory.newThread(processor);
            watermarks.attach(writer);
            started = true;
            if (!state.compareAndSet(PipelineState.NEW, PipelineState.RUNNING))
            {
                throw new JournalClosedException("journal pipeline " + directory + " was closed while starting");
            }
        }
        catch (final RuntimeException | Error ex)
        {
            state.set(PipelineState.CLOSED);
            writerStopped.countDown();
            writer.close();
            throw ex;
        }
        writerThread.start();
        registerShutdownHook();
    }

    private void registerShutdownHook()
    {
        if (shutdownDrainNanos <= 0)
        {
            return;
        }
        final Thread hook = new Thread(this::closeAtExit, "ringwal-shutdown-" + directory.getFileName());
        try
        {
            Runtime.getRuntime().addShutdownHook(hook);
            synchronized (this)
            {
                shutdownHook = hook;
            }
        }
        catch (final IllegalStateException shuttingDown)
        {
            LOG.log(System.Logger.Level.WARNING, "journal pipeline " + directory + " started while the JVM shuts " +
                "down: no shutdown hook, close it yourself");
        }
    }

    /**
     * The shutdown hook: the JVM is exiting without {@link #close()}. Stops accepting, lets the writer drain the
     * ring, force and close the journal, and waits for that at most the configured bound.
     */
    private void closeAtExit()
    {
        requestClose();
        try
        {
            if (writerStopped.await(shutdownDrainNanos, TimeUnit.NANOSECONDS))
            {
                state.set(PipelineState.CLOSED);
                return;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.ERROR, "journal pipeline " + directory + " was not closed before the JVM exit " +
            "and its writer did not finish draining within " + TimeUnit.NANOSECONDS.toMillis(shutdownDrainNanos) +
            " ms: records after journal sequence " + watermarks.writtenSequence() + " that were published may be lost");
    }

    private void removeShutdownHook()
    {
        final Thread hook;
        synchronized (this)
        {
            hook = shutdownHook;
            shutdownHook = null;
        }
        if (hook != null && hook != Thread.currentThread())
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the JVM is exiting: the hook runs (or ran) and finds the pipeline closed
            }
        }
    }

    /**
     * Stops accepting, lets the writer drain, force and close the journal, and waits for that unless called from
     * the writer thread; see {@link JournalPipeline#close()}.
     */
    void close()
    {
        if (!requestClose())
        {
            return;
        }
        final Thread writer = writerThread;
        if (writer == null || writer == Thread.currentThread())
        {
            return;
        }
        boolean interrupted = false;
        while (true)
        {
            try
            {
                writerStopped.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        state.set(PipelineState.CLOSED);
        watermarks.wakeAll();
        removeShutdownHook();
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting and tells the writer to drain and stop.
     *
     * @return false if the pipeline was never started (it is now closed), true otherwise.
     */
    private boolean requestClose()
    {
        while (true)
        {
            final int current = state.get();
            if (current == PipelineState.NEW)
            {
                if (state.compareAndSet(PipelineState.NEW, PipelineState.CLOSED))
                {
                    writerStopped.countDown();
                    watermarks.wakeAll();
                    return false;
                }
            }
            else if (current == PipelineState.RUNNING)
            {
                if (state.compareAndSet(PipelineState.RUNNING, PipelineState.CLOSING))
                {
                    VarHandle.fullFence();
                    processor.halt();
                    return true;
                }
            }
            else
            {
                return true;
            }
        }
    }

    /**
     * Ring slots claimed by producers but not yet taken by the writer; 0 before start.
     *
     * @return the number of slots in use.
     */
    long ringFill()
    {
        if (!started)
        {
            return 0;
        }
        return Math.max(0, ringBuffer.getCursor() - processor.getSequence().get());
    }

    /**
     * The writer (or the journal's force thread) failed: the failure is kept and every waiter woken.
     *
     * @param cause the failure.
     */
    void failed(final Throwable cause)
    {
        state.fail(cause);
        watermarks.wakeAll();
    }

    /**
     * The writer thread drained, closed the journal and stopped gating the ring.
     */
    void writerStopped()
    {
        state.compareAndSet(PipelineState.CLOSING, PipelineState.CLOSED);
        writerStopped.countDown();
        watermarks.wakeAll();
    }

    BatchEventProcessor<RecordSlot> processor()
    {
        return processor;
    }
}
