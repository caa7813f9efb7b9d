package dev.caravan.config;

/** Quorum queues survive the loss of a broker node; classic queues are for single-node development brokers. */
public enum QueueType {
    QUORUM,
    CLASSIC
}
