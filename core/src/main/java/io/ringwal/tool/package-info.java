/**
 * Inspection tools as library calls: {@link io.ringwal.tool.JournalVerifier} checks a journal without changing
 * it, {@link io.ringwal.tool.JournalDumper} iterates its records. Nothing here prints; a command-line front end
 * formats the results.
 */
package io.ringwal.tool;
