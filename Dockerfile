# adh-signups-emulator: docker build -t adh-signups-emulator . && docker run -p 8080:8080 adh-signups-emulator
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY scenarios ./scenarios

RUN pip install --no-cache-dir /src \
    && mkdir /scenarios \
    && cp /src/scenarios/*.yaml /scenarios/ \
    && useradd --system --uid 10001 --no-create-home emulator

WORKDIR /
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["python", "-m", "emulator.healthcheck"]
ENTRYPOINT ["signups-emulator", "--host", "0.0.0.0"]
