/**
 * The journal: the single-threaded {@link io.ringwal.journal.JournalWriter} with its force policies and
 * watermarks, recovery on open, the {@link io.ringwal.journal.JournalReader} that replays and tails, and
 * retention.
 */
package io.ringwal.journal;
