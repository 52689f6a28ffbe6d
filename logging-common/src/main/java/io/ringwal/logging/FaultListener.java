package io.ringwal.logging;

/**
 * Told once when a {@link LogJournal} fails (a full disk, a failed force, a failed segment allocation): the
 * appender hands the message to its framework's error reporting (Log4j2's error handler, Logback's status
 * manager). Called on whichever thread noticed the failure first (a logging thread or the journal's
 * maintenance thread); must not throw and must not log through the failed appender.
 */
@FunctionalInterface
public interface FaultListener
{
    /**
     * The journal failed; no line is written after this.
     *
     * @param message what failed, naming the journal directory.
     * @param cause   the writer's failure.
     */
    void onFault(String message, Throwable cause);
}
