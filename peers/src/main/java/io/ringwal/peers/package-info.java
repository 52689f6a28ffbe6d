/**
 * Side-by-side comparison of ringwal with its peers (Chronicle Queue, Log4j2 async loggers, naive and
 * group-commit baselines, ceilings): one small {@link io.ringwal.peers.Contender} per peer, a child main that
 * runs one (contender, workload) in a fresh JVM and reads its output back, and a driver that interleaves the runs
 * and prints the tables.
 */
package io.ringwal.peers;
