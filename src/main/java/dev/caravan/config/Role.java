package dev.caravan.config;

/** What one Caravan process does: serve the HTTP API, execute jobs from the queue, or both. */
public enum Role {
    ALL,
    API,
    WORKER;

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean executesJobs() {
        return this != API;
    }
}
