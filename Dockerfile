# Mirrors `make run`: CPU torch first, then the package, then `advisor init --demo` at build time.
# Run: docker build -t advisor . && docker run -p 8000:8000 -e ADVISOR_SECRET_KEY=$(openssl rand -hex 32) advisor

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The CPU build of torch (PyPI's default wheel carries several GB of CUDA libraries).
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY assistant ./assistant
COPY knowledge_base ./knowledge_base
COPY models ./models
COPY store ./store
RUN pip install .
COPY data ./data
# The demo database and models are built into the image, so a container starts in seconds.
ENV ADVISOR_ARTIFACTS=/app/artifacts ADVISOR_DEMO_DATA_DIR=/app/data \
    ADVISOR_DATABASE_URL=sqlite:////app/artifacts/advisor.db
RUN advisor init --demo

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 advisor
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=advisor:advisor /app /app
WORKDIR /app
USER advisor
ENV PATH=/opt/venv/bin:$PATH HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    ADVISOR_ENV=prod ADVISOR_HOST=0.0.0.0 ADVISOR_PORT=8000 \
    ADVISOR_ARTIFACTS=/app/artifacts ADVISOR_DEMO_DATA_DIR=/app/data \
    ADVISOR_DATABASE_URL=sqlite:////app/artifacts/advisor.db
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
CMD ["advisor", "serve"]
