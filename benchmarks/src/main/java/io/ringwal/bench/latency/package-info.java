/**
 * Paced latency measurements that JMH cannot make (fixed offered rate, corrected for coordinated omission).
 */
package io.ringwal.bench.latency;
