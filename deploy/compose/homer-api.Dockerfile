# syntax=docker/dockerfile:1
# homer-api: the API: /api/v1 and actuator on 8081.
# Build from the repository root after ./mvnw -B -pl homer-api -am package (the jar is not built here):
#   docker build -f deploy/compose/homer-api.Dockerfile -t hepstack/homer-api:dev .
# deploy/compose/homer-api.Dockerfile.dockerignore limits the context to the jar and the health check
# (BuildKit reads a <Dockerfile>.dockerignore beside the Dockerfile).
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 hepstack \
 && useradd --system --uid 10001 --gid hepstack --home-dir /app --no-create-home --shell /usr/sbin/nologin hepstack

WORKDIR /app
COPY --chmod=0755 deploy/compose/healthcheck.sh /usr/local/bin/healthcheck
COPY --chmod=0644 homer-api/target/homer-api.jar /app/homer-api.jar

# Numeric so that Kubernetes runAsNonRoot can verify it.
USER 10001:10001

EXPOSE 8081/tcp

# Liveness only: a process that answers is healthy. (Readiness — database reachable — is for
# orchestrators that route traffic: Kubernetes readinessProbe, load balancer health checks.)
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/healthcheck", "8081", "/actuator/health/liveness"]

# Heap sized from the container's memory limit; fail fast (restart) rather than limp on after an
# OutOfMemoryError. Exec form: java is PID 1 and receives SIGTERM directly (graceful shutdown).
# Extra JVM flags: JAVA_TOOL_OPTIONS. Spring Boot settings: environment (SPRING_R2DBC_URL, LOG_FORMAT, ...).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/homer-api.jar"]
