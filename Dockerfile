# syntax=docker/dockerfile:1
# Build stage: the Maven wrapper builds target/pixels.jar with a full JDK.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY server/pom.xml server/pom.xml
RUN ./mvnw -B -q -pl server -am dependency:go-offline -DskipWebTests
COPY server server
RUN ./mvnw -B -q -pl server -am -DskipTests -DskipWebTests package

# Runtime stage: a JRE, the jar, and an unprivileged user.
FROM eclipse-temurin:21-jre
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system pixels && useradd --system --gid pixels --home /app pixels \
    && mkdir -p /app/data && chown pixels:pixels /app/data
WORKDIR /app
COPY --from=build /src/target/pixels.jar /app/pixels.jar
USER pixels
ENV PORT=8000 DATA_DIR=/app/data
EXPOSE 8000
# 503 only when the store is unusable; "degraded" (Redis down, reads still served) stays 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/pixels.jar"]
