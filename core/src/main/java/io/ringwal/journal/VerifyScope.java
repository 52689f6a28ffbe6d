package io.ringwal.journal;

/**
 * How much of a journal opening checks frame by frame. Headers, names and the segment chain are always
 * checked; the last segment is always scanned (that is where a torn tail is found).
 */
public enum VerifyScope
{
    /** Scan every frame of every segment and check every CRC. Opening reads the whole journal. The default. */
    ALL_SEGMENTS,

    /** Scan only the last segment. Opening is fast on a large journal; readers still check every CRC. */
    LAST_SEGMENT
}
