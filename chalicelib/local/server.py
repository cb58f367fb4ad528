"""`make run`: the whole portal on one localhost URL, backed by an in-process moto server.

/api/*       -> the Chalice app (the /api prefix stripped, as the API Gateway stage does when deployed)
/config.json -> the SPA's settings (Cognito endpoint, client id, API base)
anything else -> web/dist, falling back to index.html for client-side routes
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.core.config import PROJECT_ROOT
from chalicelib.local.bootstrap import LocalResources, bootstrap

WEB_DIST = PROJECT_ROOT / "web" / "dist"

# What CloudFront's response headers policy sends when deployed; locally Cognito is the moto server.
_STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def content_security_policy(cognito_origin: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {cognito_origin}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


@dataclass
class RunningPortal:
    url: str
    resources: LocalResources
    moto_url: str
    stop: Any


def _spa_config(resources: LocalResources) -> dict[str, Any]:
    return {
        "apiBase": "/api",
        "stage": "local",
        "cognito": {
            "endpoint": resources.endpoint_url,
            "region": resources.region,
            "clientId": resources.user_pool_client_id,
            "userPoolId": resources.user_pool_id,
        },
    }


def _handler_class(resources: LocalResources, web_dist: Path) -> type:
    from chalice.local import ChaliceRequestHandler

    spa_config = json.dumps(_spa_config(resources)).encode()
    csp = content_security_policy(resources.endpoint_url)
    dist = web_dist.resolve()

    class PortalRequestHandler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: request lines could carry ids only, but the console is for the banner

        def _dispatch(self) -> None:
            path: str = self.path  # type: ignore[has-type]
            if path == "/api" or path.startswith("/api/"):
                self.path = path[len("/api") :] or "/"
                self._generic_handle()
            elif self.command not in ("GET", "HEAD"):
                self._send_static(405, b"Method not allowed", "text/plain")
            elif path.split("?")[0] == "/config.json":
                self._send_static(200, spa_config, "application/json", cache="no-store")
            else:
                self._serve_file(path.split("?")[0])

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

        def _serve_file(self, url_path: str) -> None:
            candidate = (dist / url_path.lstrip("/")).resolve()
            if dist in candidate.parents and candidate.is_file():
                mime = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
                immutable = "/assets/" in url_path  # hashed file names
                cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
                self._send_static(200, candidate.read_bytes(), mime, cache=cache)
                return
            index = dist / "index.html"
            if index.is_file():
                self._send_static(200, index.read_bytes(), "text/html; charset=utf-8", cache="no-cache")
            else:
                message = b"The web app is not built yet: run `make web` (or `make run`, which builds it)."
                self._send_static(503, message, "text/plain; charset=utf-8")

        def _send_static(self, status: int, body: bytes, mime: str, cache: str = "no-cache") -> None:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Security-Policy", csp)
            for name, value in _STATIC_HEADERS.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return PortalRequestHandler


def configure_environment(resources: LocalResources, clinic_file: Path) -> None:
    """Point the app at the local cloud: the same settings a deployed stack gets, other values."""
    from chalicelib.core import auth, aws

    os.environ.update(resources.environment())
    os.environ["STAGE"] = "local"
    os.environ["CLINIC_CONFIG_FILE"] = str(clinic_file)
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "clinic-portal")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    aws.reset_caches()
    auth.reset_key_cache()


@contextmanager
def running_portal(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    aws_port: int = 4566,
    clinic_file: Path | None = None,
    web_dist: Path = WEB_DIST,
    seed_demo: bool = True,
) -> Iterator[RunningPortal]:
    """Start moto, bootstrap and seed it, and serve the portal; stop everything on exit."""
    import logging

    from chalice.config import Config
    from chalice.local import LocalDevServer
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log would drown the banner
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    # moto accepts any credentials; never let a developer's real ones be picked up here.
    os.environ["AWS_ACCESS_KEY_ID"] = "local"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "local"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    moto = ThreadedMotoServer(ip_address=host, port=aws_port, verbose=False)
    moto.start()
    try:
        moto_url = f"http://{host}:{aws_port}"
        resources = bootstrap(moto_url)
        configure_environment(resources, clinic_file or PROJECT_ROOT / "clinics" / "demo.json")
        if seed_demo:
            from chalicelib.local import seed

            seed.seed(resources.user_pool_id)

        from app import app

        config = Config(chalice_stage="local", user_provided_params={"app_name": app.app_name})
        server = LocalDevServer(app, config, host, port, handler_cls=_handler_class(resources, web_dist))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        actual_port = server.server.server_address[1]
        try:
            yield RunningPortal(
                url=f"http://{host}:{actual_port}",
                resources=resources,
                moto_url=moto_url,
                stop=server.shutdown,
            )
        finally:
            server.shutdown()
            server.server.server_close()
    finally:
        moto.stop()


def _banner(portal: RunningPortal) -> str:
    from chalicelib.core import config
    from chalicelib.local.seed import DEMO_USERS

    lines = [
        "",
        f"  {config.clinic().name} patient portal is running",
        "",
        f"  Open  {portal.url}",
        "",
        "  Demo sign-ins (username / password):",
    ]
    for user in DEMO_USERS:
        note = "  (temporary: you'll be asked to choose a new one)" if user.temporary else ""
        lines.append(f"    {user.role.value:<11} {user.username:<11} {user.password}{note}")
    lines += [
        "",
        f"  Local AWS (moto) at {portal.moto_url}; its state lives in memory and resets on restart.",
        "  Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the clinic portal locally on moto.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("AWS_PORT", "4566")))
    parser.add_argument("--clinic", type=Path, default=PROJECT_ROOT / "clinics" / "demo.json")
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with running_portal(
        host=args.host, port=args.port, aws_port=args.aws_port, clinic_file=args.clinic
    ) as portal:
        print(_banner(portal), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        print("\n  Stopping…", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
