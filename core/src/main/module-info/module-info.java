/**
 * ringwal's core: the on-disk format ({@code io.ringwal.format}), the journal's writer, force policies, recovery,
 * readers and retention ({@code io.ringwal.journal}), the segment settings a user chooses ({@code io.ringwal.segment})
 * and the inspection tools as library calls ({@code io.ringwal.tool}). The segment machinery behind them
 * ({@code io.ringwal.segment.internal}) is not exported: on the module path nothing outside this module reaches it.
 */
module io.ringwal.core
{
    requires transitive org.agrona;

    exports io.ringwal.format;
    exports io.ringwal.journal;
    exports io.ringwal.segment;
    exports io.ringwal.tool;
}
