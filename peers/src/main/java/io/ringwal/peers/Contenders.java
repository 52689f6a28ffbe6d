package io.ringwal.peers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.WriteMode;
import io.ringwal.segment.PreallocationMode;

/**
 * The contenders by name: one registry entry per contender, saying how to make it and which JVM flags its forked
 * JVM needs. A new contender is one more {@code add(...)} line here and a class implementing {@link Contender};
 * the cells that run it are listed in {@link PeersMain#CELLS}.
 */
public final class Contenders
{
    /**
     * What the retained ringwal contenders keep: four default (64 MiB) segments, as a journal that runs for ever
     * keeps a window; older segments are retired and recycled.
     */
    static final long RETAINED_BYTES = 4L * 64 * 1024 * 1024;

    /**
     * What the reserved ringwal contenders reserve before the clock: the retained segments, the two the allocator
     * keeps prepared and the active one, so that no segment is zero-filled during the run (the first ones come from
     * the reservation, later ones are recycled).
     */
    static final int RESERVED_SEGMENTS = 4 + 2 + 1;

    /**
     * One registered contender.
     *
     * @param name     its name on the command line and in the tables.
     * @param factory  makes a fresh instance (called in the forked JVM only).
     * @param jvmFlags the flags its forked JVM needs beyond the common ones.
     */
    public record Entry(String name, Supplier<Contender> factory, List<String> jvmFlags)
    {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static
    {
        add("ringwal-never", () -> new RingwalContender("ringwal-never", ForcePolicy.never()));
        add("ringwal-bounded", () -> new RingwalContender("ringwal-bounded", RingwalContender.BOUNDED));
        add("ringwal-every-batch", () -> new RingwalContender("ringwal-every-batch", ForcePolicy.everyBatch()));
        add("ringwal-every-batch-direct", () -> new RingwalContender("ringwal-every-batch-direct",
            ForcePolicy.everyBatch(), PreallocationMode.DIRECT));
        add("ringwal-every-batch-retained", () -> new RingwalContender("ringwal-every-batch-retained",
            ForcePolicy.everyBatch(), null, RETAINED_BYTES));
        add("ringwal-every-batch-reserved", () -> new RingwalContender("ringwal-every-batch-reserved",
            ForcePolicy.everyBatch(), null, RETAINED_BYTES, RESERVED_SEGMENTS));
        add("ringwal-every-batch-reserved-pipelined", () -> new RingwalContender(
            "ringwal-every-batch-reserved-pipelined", ForcePolicy.everyBatch(), null, RETAINED_BYTES, RESERVED_SEGMENTS)
            .pipelinedForcing());
        add("ringwal-every-batch-reserved-ring16m", () -> new RingwalContender(
            "ringwal-every-batch-reserved-ring16m", ForcePolicy.everyBatch(), null, RETAINED_BYTES, RESERVED_SEGMENTS)
            .ringBytes(GroupCommitReusedContender.RING_BYTES));
        add("ringwal-never-reserved", () -> new RingwalContender("ringwal-never-reserved", ForcePolicy.never(), null,
            RETAINED_BYTES, RESERVED_SEGMENTS));
        add("ringwal-never-mapped", () -> new RingwalContender("ringwal-never-mapped", ForcePolicy.never())
            .writeMode(WriteMode.MAPPED));
        add("ringwal-never-reserved-mapped", () -> new RingwalContender("ringwal-never-reserved-mapped",
            ForcePolicy.never(), null, RETAINED_BYTES, RESERVED_SEGMENTS).writeMode(WriteMode.MAPPED));
        add("ringwal-never-retained", () -> new RingwalContender("ringwal-never-retained", ForcePolicy.never(), null,
            RETAINED_BYTES));
        add("chronicle", () -> new ChronicleContender("chronicle", false), ChronicleContender.JVM_FLAGS);
        add("chronicle-sync1000", () -> new ChronicleContender("chronicle-sync1000", true),
            ChronicleContender.JVM_FLAGS);
        add("aeron-archive", () -> new AeronArchiveContender("aeron-archive", 0));
        add("aeron-archive-sync2", () -> new AeronArchiveContender("aeron-archive-sync2", 2));
        add("log4j-mmap", () -> new Log4jContender("log4j-mmap", true));
        add("log4j-raf", () -> new Log4jContender("log4j-raf", false));
        add("naive-mmap", NaiveMappedContender::new);
        add("group-commit", GroupCommitContender::new);
        add("group-commit-reused", GroupCommitReusedContender::new);
        add("plain-copy", PlainCopyContender::new);
        add("ringwal-log4j2", () -> new RingwalLog4jContender("ringwal-log4j2", true, null));
        add("ringwal-log4j2-staged", () -> new RingwalLog4jContender("ringwal-log4j2-staged", false, null));
        add("ringwal-log4j2-full-slots", () -> new RingwalLog4jContender("ringwal-log4j2-full-slots", true, "8KiB"));
        add("ringwal-logback", () -> new LogbackContender("ringwal-logback", true));
        add("logback-async-file", () -> new LogbackContender("logback-async-file", false));
    }

    /** Every contender name, in table order. */
    public static final List<String> ALL = List.copyOf(REGISTRY.keySet());

    private Contenders()
    {
    }

    private static void add(final String name, final Supplier<Contender> factory)
    {
        add(name, factory, List.of());
    }

    private static void add(final String name, final Supplier<Contender> factory, final List<String> jvmFlags)
    {
        if (REGISTRY.putIfAbsent(name, new Entry(name, factory, List.copyOf(jvmFlags))) != null)
        {
            throw new IllegalStateException("contender " + name + " registered twice");
        }
    }

    private static Entry entry(final String name)
    {
        final Entry entry = REGISTRY.get(name);
        if (entry == null)
        {
            throw new IllegalArgumentException("unknown contender " + name + "; known: " + ALL);
        }
        return entry;
    }

    /**
     * A new contender.
     *
     * @param name its name, one of {@link #ALL}.
     * @return the contender.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static Contender create(final String name)
    {
        return entry(name).factory().get();
    }

    /**
     * The JVM flags a contender's forked JVM needs beyond the common ones (without making an instance).
     *
     * @param name the contender name.
     * @return the flags.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static List<String> jvmFlags(final String name)
    {
        return entry(name).jvmFlags();
    }
}
