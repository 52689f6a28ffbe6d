package io.ringwal.peers;

import java.util.List;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.segment.PreallocationMode;

/**
 * The contenders by name.
 */
public final class Contenders
{
    /** Every contender name, in table order. */
    public static final List<String> ALL = List.of(
        "ringwal-never", "ringwal-bounded", "ringwal-every-batch", "ringwal-every-batch-direct",
        "chronicle", "chronicle-sync1000",
        "log4j-mmap", "log4j-raf",
        "naive-mmap", "group-commit", "plain-copy",
        "ringwal-log4j2", "ringwal-log4j2-staged", "ringwal-logback", "logback-async-file");

    private Contenders()
    {
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
        return switch (name)
        {
            case "ringwal-never" -> new RingwalContender(name, ForcePolicy.never());
            case "ringwal-bounded" -> new RingwalContender(name, RingwalContender.BOUNDED);
            case "ringwal-every-batch" -> new RingwalContender(name, ForcePolicy.everyBatch());
            case "ringwal-every-batch-direct" ->
                new RingwalContender(name, ForcePolicy.everyBatch(), PreallocationMode.DIRECT);
            case "chronicle" -> new ChronicleContender(name, false);
            case "chronicle-sync1000" -> new ChronicleContender(name, true);
            case "log4j-mmap" -> new Log4jContender(name, true);
            case "log4j-raf" -> new Log4jContender(name, false);
            case "naive-mmap" -> new NaiveMappedContender();
            case "group-commit" -> new GroupCommitContender();
            case "plain-copy" -> new PlainCopyContender();
            case "ringwal-log4j2" -> new RingwalLog4jContender(name, true);
            case "ringwal-log4j2-staged" -> new RingwalLog4jContender(name, false);
            case "ringwal-logback" -> new LogbackContender(name, true);
            case "logback-async-file" -> new LogbackContender(name, false);
            default -> throw new IllegalArgumentException("unknown contender " + name + "; known: " + ALL);
        };
    }

    /**
     * The JVM flags a contender's forked JVM needs beyond the common ones (without loading its classes).
     *
     * @param name the contender name.
     * @return the flags.
     */
    public static List<String> jvmFlags(final String name)
    {
        return name.startsWith("chronicle") ? ChronicleContender.JVM_FLAGS : List.of();
    }
}
