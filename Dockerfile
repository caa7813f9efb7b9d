# Build stage: the fat jar. Tests need a broker and run in CI, not here.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# Dependencies in their own layer, so that editing the sources does not download them again.
RUN mvn -q -B dependency:go-offline
COPY src src
RUN mvn -q -B package -DskipTests

# Runtime: Java 17 to run Caravan, the sandbox, and the runtimes of the languages workers run.
# openjdk-17-jdk-headless is both the JRE that runs the jar and the JDK (javac) the java language needs: one
# package instead of a JRE plus a second JDK. util-linux gives setpriv (the sandbox drops each program to an
# unprivileged uid); tini reaps orphaned processes and forwards TERM, which a JVM as PID 1 does not do for
# children; curl is for health checks.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless bubblewrap util-linux tini curl \
      python3 gcc g++ libc6-dev nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/caravan.jar /app/caravan.jar
# Defaults only: operators mount their own config/ (application.properties, routes/) over /app/config.
COPY config /app/config
EXPOSE 8080
# Runs as root inside the container because workers switch every user program to an unprivileged uid, which
# needs it; the programs never run as root. The sandbox (bubblewrap) needs unprivileged user namespaces, not a
# privileged container: see docker-compose.yml for the three security options a worker needs and why.
ENTRYPOINT ["/usr/bin/tini", "--", "java", "@/app/config/jvm.options", "-jar", "/app/caravan.jar"]
