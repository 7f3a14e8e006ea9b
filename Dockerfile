# syntax=docker/dockerfile:1
# The Millrace image: one runnable jar (cli/target/millrace.jar, built by the shade plugin) that runs
# `millrace control-plane`, `operator`, `api` and the sync Jobs (`millrace sync`).
# Build: docker build -t ghcr.io/millrace/millrace:0.1.0 .
# The same image without a Docker daemon: ./mvnw -pl cli -am -Pimage package jib:build -Dimage=...

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# The wrapper and the poms first, so the dependency download is a cached layer.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY crds/pom.xml crds/
COPY sync/pom.xml sync/
COPY store/pom.xml store/
COPY operator/pom.xml operator/
COPY api-server/pom.xml api-server/
COPY cli/pom.xml cli/
COPY deploy/pom.xml deploy/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl cli -am dependency:go-offline -DskipTests || true
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl cli -am package -DskipTests

FROM eclipse-temurin:17-jre
# No shell tricks at run time: a fixed non-root user that the chart's securityContext expects.
RUN groupadd --system --gid 10001 millrace \
    && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home millrace \
    && mkdir -p /app /var/lib/millrace /data /warehouse \
    && chown 10001:10001 /var/lib/millrace /data /warehouse
COPY --from=build /src/cli/target/millrace.jar /app/millrace.jar
USER 10001:10001
ENV HOME=/tmp
WORKDIR /tmp
EXPOSE 8800
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/app/millrace.jar"]
CMD ["--help"]
