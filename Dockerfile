# Build stage: the fat jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY config config
RUN mvn -q -B package -DskipTests

# Runtime: a JRE plus the sandbox and the language runtimes the workers run.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless bubblewrap python3 gcc g++ nodejs libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/caravan.jar /app/caravan.jar
COPY config /app/config
# config/ (application.properties, routes/) is meant to be mounted over /app/config by operators.
EXPOSE 8080
# The sandbox needs unprivileged user namespaces (bubblewrap), not a privileged container.
ENTRYPOINT ["java", "-jar", "/app/caravan.jar"]
