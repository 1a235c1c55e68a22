# Rasid's producer, processor, sink and one-shot setup (deploy/docker-compose.yml builds it).
#   docker build -t rasid:local .
#   docker run --rm -e RASID_KAFKA_BOOTSTRAP=… -e RASID_ELASTICSEARCH_URL=… rasid:local rasid sink
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY rasid ./rasid
# Wheels for Rasid and every dependency, built once; the runtime stage installs them without compilers.
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    RASID_EMBEDDED=false \
    RASID_DATA_DIR=/data
RUN useradd --create-home --uid 10001 rasid \
    && mkdir -p /data \
    && chown rasid:rasid /data
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels rasid && rm -rf /wheels
COPY deploy/healthcheck.py /usr/local/bin/rasid-healthcheck
# Faust keeps its local state in the working directory: /data is writable and a volume where it matters.
WORKDIR /data
USER rasid
CMD ["rasid", "--help"]
