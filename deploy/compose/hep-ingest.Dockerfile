# syntax=docker/dockerfile:1
# hep-ingest: the HEP collector: HEP over UDP+TCP 9060, TLS 9061 (when homer.ingest.tls.enabled), actuator HTTP 9096.
# Build from the repository root after ./mvnw -B -pl hep-ingest -am package (the jar is not built here):
#   docker build -f deploy/compose/hep-ingest.Dockerfile -t hepstack/hep-ingest:dev .
# deploy/compose/hep-ingest.Dockerfile.dockerignore limits the context to the jar and the health check
# (BuildKit reads a <Dockerfile>.dockerignore beside the Dockerfile).
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 hepstack \
 && useradd --system --uid 10001 --gid hepstack --home-dir /app --no-create-home --shell /usr/sbin/nologin hepstack

WORKDIR /app
COPY --chmod=0755 deploy/compose/healthcheck.sh /usr/local/bin/healthcheck
COPY --chmod=0644 hep-ingest/target/hep-ingest.jar /app/hep-ingest.jar

# Numeric so that Kubernetes runAsNonRoot can verify it.
USER 10001:10001

EXPOSE 9060/udp 9060/tcp 9061/tcp 9096/tcp

# Liveness only: a process that answers is healthy. (Readiness — database reachable — is for
# orchestrators that route traffic: Kubernetes readinessProbe, load balancer health checks.)
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/healthcheck", "9096", "/actuator/health/liveness"]

# Heap sized from the container's memory limit; fail fast (restart) rather than limp on after an
# OutOfMemoryError. Exec form: java is PID 1 and receives SIGTERM directly (graceful shutdown).
# Extra JVM flags: JAVA_TOOL_OPTIONS. Spring Boot settings: environment (SPRING_R2DBC_URL, LOG_FORMAT, ...).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/hep-ingest.jar"]
