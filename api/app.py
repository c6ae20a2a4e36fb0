"""The FastAPI app factory: lifespan (heavy objects once), error mapping, metrics, the `/ui` mount."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from api.errors import BodySizeLimit, install_error_handlers
from api.routes import all_routers
from api.services import Services
from api.settings import Settings, get_settings

log = logging.getLogger("advisor.api")


def create_app(
    settings: Settings | None = None, *, services: Services | None = None, ui: bool = True
) -> FastAPI:
    """Builds the app. `services` may be injected (tests); otherwise the lifespan builds them."""
    settings = settings or (services.settings if services else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or Services.build(settings)
        log.info(
            "advisor ready (database %s)", app.state.services.engine.url.render_as_string(hide_password=True)
        )
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="advisor",
        version="0.1.0",
        summary="Chat assistant for courses, insurance and finance advice",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for router in all_routers():
        app.include_router(router)

    @app.middleware("http")
    async def record_metrics(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", None) or ("/ui" if request.url.path.startswith("/ui") else "unmatched")
        state_services: Services | None = getattr(request.app.state, "services", None)
        if state_services is not None:
            state_services.metrics.requests.labels(request.method, path, str(response.status_code)).inc()
            state_services.metrics.latency.labels(request.method, path).observe(time.perf_counter() - started)
        return response

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)

    if ui:
        import gradio as gr

        from api.ui import build_ui

        app = gr.mount_gradio_app(app, build_ui(app), path="/ui")
    return app
