package io.ringwal.concurrency;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JI_Result;

/**
 * The durable watermark's publication chain, with the access modes the code uses: the writer thread completes a
 * force (its effects: plain stores, here the force flag), then {@code JournalWriter} release-stores its durable
 * sequence; the pipeline's writer stage acquire-loads it and release-stores the pipeline's durable sequence;
 * a waiter acquire-loads that ({@code JournalPipeline.durableSequence()}). A waiter that observes
 * {@code durable >= s} must observe the force done: it is never told "durable" before the force.
 *
 * <p>r1: the durable sequence the waiter saw; r2: 1 if it then saw the force done.
 */
@JCStressTest
@Description("A waiter that sees the durable watermark also sees the force that made it durable")
@Outcome(id = "-1, 0", expect = Expect.ACCEPTABLE, desc = "not durable yet, force not seen")
@Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "not durable yet, force already done")
@Outcome(id = "7, 1", expect = Expect.ACCEPTABLE, desc = "durable, and the force is seen")
@Outcome(id = "7, 0", expect = Expect.FORBIDDEN, desc = "told durable before the force")
@State
public class DurableWatermarkStress
{
    private static final VarHandle WRITER_DURABLE;
    private static final VarHandle PIPELINE_DURABLE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WRITER_DURABLE = lookup.findVarHandle(DurableWatermarkStress.class, "writerDurable", long.class);
            PIPELINE_DURABLE = lookup.findVarHandle(DurableWatermarkStress.class, "pipelineDurable", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private int forced;
    @SuppressWarnings("unused") // accessed through WRITER_DURABLE
    private volatile long writerDurable = -1;
    @SuppressWarnings("unused") // accessed through PIPELINE_DURABLE
    private volatile long pipelineDurable = -1;

    /** The writer thread: force, advance the journal's watermark, then the pipeline's. */
    @Actor
    public void writer()
    {
        forced = 1;
        WRITER_DURABLE.setRelease(this, 7L);
        final long durable = (long)WRITER_DURABLE.getAcquire(this);
        PIPELINE_DURABLE.setRelease(this, durable);
    }

    /**
     * A waiter polling the pipeline's durable sequence.
     *
     * @param result r1 the durable sequence seen, r2 whether the force was seen.
     */
    @Actor
    public void waiter(final JI_Result result)
    {
        result.r1 = (long)PIPELINE_DURABLE.getAcquire(this);
        result.r2 = forced;
    }
}
