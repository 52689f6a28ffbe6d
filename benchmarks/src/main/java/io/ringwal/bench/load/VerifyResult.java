package io.ringwal.bench.load;

/**
 * The outcome of reading a journal back.
 *
 * @param ok       whether everything expected came back intact.
 * @param records  records read.
 * @param bytes    payload bytes read.
 * @param nanos    time taken.
 * @param message  a one-line summary (the first problem when not ok).
 */
public record VerifyResult(boolean ok, long records, long bytes, long nanos, String message)
{
}
