"""`make run`: the whole portal on one localhost URL, backed by an in-process moto server.

/api/*       -> the Chalice app (the /api prefix stripped, as the API Gateway stage does when deployed)
/config.json -> the SPA's settings (Cognito endpoint, client id, API base)
/manifest.webmanifest, /offline.html -> written from the clinic file (web_files.py), as the stack writes them
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
import time
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


# The largest request API Gateway accepts; anything larger is refused (drained unread, in small pieces).
MAX_REQUEST_BYTES = 10 * 1024 * 1024
# After Ctrl-C or SIGTERM, stop within this many seconds even if a request is still running.
STOP_DEADLINE_SECONDS = 4.0
# What the deployed API sends with every answer (app.py's middleware), for the answers given here.
_API_ERROR_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def error_body(status: int, code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


def serialize_moto() -> None:
    """One request at a time inside moto, as DynamoDB makes each request atomic.

    moto's refused TransactWriteItems restores a copy of the whole table taken when it started, which
    erases any write committed meanwhile; with one lock around the backend, local transactions are as
    atomic as DynamoDB's. Our own code still races freely between its reads and conditional writes.
    """
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if getattr(DomainDispatcherApplication, "serialized", False):
        return
    lock = threading.Lock()
    unlocked = DomainDispatcherApplication.__call__

    def serialized_call(self: Any, environ: Any, start_response: Any) -> Any:
        with lock:
            # moto answers with a finished body: materialize it inside the lock.
            return list(unlocked(self, environ, start_response))

    DomainDispatcherApplication.__call__ = serialized_call  # type: ignore[method-assign]
    DomainDispatcherApplication.serialized = True  # type: ignore[attr-defined]


class _Untracked(list):
    """A list that keeps nothing: moto's registry of every model instance, for DynamoDB items."""

    def append(self, _: object) -> None:
        pass


def untrack_dynamodb_items() -> None:
    """Keep the server's memory flat: moto records every model instance it ever makes (for its own
    state dump), including the copy of each DynamoDB item every Query returns, so memory grew with every
    read (about 35 MB per thousand requests) and never came back."""
    from moto.dynamodb.models.dynamo_type import Item

    Item.instances_tracked = _Untracked()  # type: ignore[attr-defined]


def back_up_tables_once() -> None:
    """moto backs a table up (a deep copy of all its items) before a TransactWriteItems, in case it is
    refused, but once per item of the transaction rather than once: a 100-item transaction on a table of
    a few thousand items outlasted the client's read timeout (an import of patients writes 25 at a time).
    Every copy is taken before the first write, so the first copy serves them all."""
    import copy

    from moto.dynamodb import models

    backend = models.DynamoDBBackend
    if getattr(backend, "backs_up_once", False):
        return
    original = backend.transact_write_items

    class _Once:
        def __init__(self) -> None:
            self.made: dict[int, Any] = {}

        def __getattr__(self, name: str) -> Any:
            return getattr(copy, name)

        def deepcopy(self, value: Any, memo: Any = None) -> Any:
            if not isinstance(value, models.Table):
                return copy.deepcopy(value, memo)
            if id(value) not in self.made:
                self.made[id(value)] = copy.deepcopy(value, memo)
            return self.made[id(value)]

    def transact_write_items(self: Any, transact_items: Any) -> Any:
        # serialize_moto runs one request at a time, so the module's `copy` is ours alone meanwhile.
        models.copy = _Once()  # type: ignore[assignment]
        try:
            return original(self, transact_items)
        finally:
            models.copy = copy

    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    backend.backs_up_once = True  # type: ignore[attr-defined]


# The pages that take a card with Stripe's Payment Element (CloudFront path patterns: * is any run of
# characters). Only their documents may run Stripe.js; every other page's policy names no Stripe origin.
CARD_PAGES = ("/billing/statements/*/pay", "/billing/statements/*/plan", "/billing/card")
# What Stripe's CSP guide lists for Stripe.js with Elements: its script, its frames (the card fields, the
# 3-D Secure check) and its API. Nothing wider: no *.stripe.com, no Maps (we use no address element).
STRIPE_SCRIPT = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAMES = ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com")
STRIPE_CONNECT = ("https://api.stripe.com",)


# The video visit page: the only page that may use the camera and microphone, and, for a clinic on Chime,
# reach its signalling (wss) and media/ingest (https) hosts, as the Chime SDK's CSP guide lists them. No
# Voice Focus or background filters, so none of their script or worker origins.
VISIT_PAGES = ("/visit/*",)
CHIME_CONNECT = ("https://*.chime.aws", "wss://*.chime.aws")

# Browsers' payment APIs (Apple Pay, Google Pay) only in Stripe's frames, and only on the card pages.
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=()"
CARD_PAGE_PERMISSIONS = 'camera=(), microphone=(), geolocation=(), payment=(self "https://js.stripe.com")'
VISIT_PAGE_PERMISSIONS = "camera=(self), microphone=(self), geolocation=(), payment=()"


def content_security_policy(cognito_origin: str, *, card_page: bool = False, chime: bool = False) -> str:
    script = " ".join(("'self'", *(STRIPE_SCRIPT if card_page else ())))
    extra_connect = (*(STRIPE_CONNECT if card_page else ()), *(CHIME_CONNECT if chime else ()))
    connect = " ".join(("'self'", cognito_origin, *extra_connect))
    frames = f"frame-src {' '.join(STRIPE_FRAMES)}; " if card_page else ""
    return (
        f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; {frames}worker-src 'self'; manifest-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


def is_card_page(path: str) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(path, pattern) for pattern in CARD_PAGES)


def is_visit_page(path: str) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(path, pattern) for pattern in VISIT_PAGES)


@dataclass(frozen=True)
class PageHeaders:
    csp: str
    permissions: str


def page_headers(path: str, cognito_origin: str, *, on_stripe: bool, on_chime: bool) -> PageHeaders:
    """The document headers of an app page, by path: as CloudFront's behaviors choose them when deployed."""
    if is_card_page(path):
        return PageHeaders(
            content_security_policy(cognito_origin, card_page=on_stripe), CARD_PAGE_PERMISSIONS
        )
    if is_visit_page(path):
        return PageHeaders(content_security_policy(cognito_origin, chime=on_chime), VISIT_PAGE_PERMISSIONS)
    return PageHeaders(content_security_policy(cognito_origin), PERMISSIONS)


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


# The emails the app sent through the local SES (moto, in this process): what a person would have received,
# e.g. an invitation's activation code. The laptop server only; nothing like it is deployed.
LOCAL_OUTBOX = "/_local/outbox.json"


def local_outbox(region: str) -> bytes:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    messages = ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages
    return json.dumps(
        [
            {"to": m.destinations.get("ToAddresses", []), "subject": m.subject, "body": m.body}
            for m in messages
            if hasattr(m, "subject")  # raw messages carry no parsed subject; the app sends none
        ]
    ).encode()


def _handler_class(resources: LocalResources, web_dist: Path) -> type:
    from chalice.local import ChaliceRequestHandler

    from chalicelib.core import config
    from chalicelib.local import web_files

    spa_config = json.dumps(_spa_config(resources)).encode()
    # Per clinic, like /config.json: the app manifest (name, colours) and the offline page (its phone).
    clinic_files = {
        web_files.MANIFEST_PATH: (web_files.manifest(config.clinic()), web_files.MANIFEST_TYPE),
        web_files.OFFLINE_PATH: (web_files.offline_page(config.clinic()), "text/html; charset=utf-8"),
    }
    csp = content_security_policy(resources.endpoint_url)
    # The card pages of a clinic on Stripe may load Stripe.js; with the simulated processor none need to.
    # Likewise the visit page reaches Chime's hosts only for a clinic on Chime (camera and microphone always).
    clinic = config.clinic()
    on_stripe = clinic.billing.provider == "stripe"
    on_chime = clinic.scheduling.video.provider == "chime"
    dist = web_dist.resolve()

    class PortalRequestHandler(ChaliceRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: request lines could carry ids only, but the console is for the banner

        def _dispatch(self) -> None:
            path: str = self.path
            if path == "/api" or path.startswith("/api/"):
                self._api(path[len("/api") :] or "/")
            elif self.command not in ("GET", "HEAD"):
                self._send_error(405, "method_not_allowed", "this address only answers GET")
            elif path.split("?")[0] == "/config.json":
                self._send_static(200, spa_config, "application/json", cache="no-store")
            elif path.split("?")[0] in clinic_files:
                body, mime = clinic_files[path.split("?")[0]]
                self._send_static(200, body, mime, cache="no-cache")
            elif path.split("?")[0] == LOCAL_OUTBOX:
                self._send_static(200, local_outbox(resources.region), "application/json", cache="no-store")
            else:
                self._serve_file(path.split("?")[0])

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

        def _api(self, path: str) -> None:
            length = self.headers.get("content-length", "0")
            if not length.isdigit():
                self.close_connection = True
                self._send_error(400, "bad_request", "the Content-Length header is not a number")
                return
            if int(length) > MAX_REQUEST_BYTES:
                self._discard_body(int(length))
                self.close_connection = True
                self._send_error(413, "payload_too_large", "the request is larger than 10 MB")
                return
            if ".." in path.split("?")[0].split("/") or "\x00" in path:
                self._discard_body(int(length))
                self._send_error(404, "not_found", "no such API route")
                return
            self.path = path
            # Chalice's local gateway names every caller 127.0.0.1; say who connected, as API Gateway's
            # requestContext.identity.sourceIp does (the rate limits of the public routes count by it).
            self.local_gateway.event_converter.LOCAL_SOURCE_IP = str(self.client_address[0])
            self._generic_handle()

        def _discard_body(self, length: int) -> None:
            # Read and drop in small pieces (memory stays flat), so the client sees our answer rather than
            # a reset connection; past a limit, stop reading and let the connection close.
            remaining = min(length, 8 * MAX_REQUEST_BYTES)
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 64 * 1024))
                if not chunk:
                    break
                remaining -= len(chunk)

        def _send_error_response(self, error: Any) -> None:
            # What chalice's local gateway answers itself: an unknown route (API Gateway's "Missing
            # Authentication Token", echoing the caller's Authorization header) or an authorizer refusal.
            status = int(getattr(error, "CODE", 500))
            if status == 403:
                self._send_error(404, "not_found", "no such API route")
            elif status == 401:
                self._send_error(401, "unauthorized", "sign in again")
            else:
                self._send_error(status, "internal", "something went wrong on our side; please try again")

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            # http.server's own answers (unknown method such as TRACE, a malformed request line, a
            # header too long), in our JSON shape instead of an HTML page.
            codes = {400: "bad_request", 404: "not_found", 414: "uri_too_long", 431: "headers_too_large"}
            code_name = codes.get(code, "method_not_allowed" if code == 501 else "bad_request")
            status = 405 if code == 501 else code
            self.close_connection = True
            self._send_error(status, code_name, "this request is not supported")

        def _send_error(self, status: int, code: str, message: str) -> None:
            body = error_body(status, code, message)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in {**_STATIC_HEADERS, **_API_ERROR_HEADERS}.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _serve_file(self, url_path: str) -> None:
            candidate = (dist / url_path.lstrip("/")).resolve()
            if dist in candidate.parents and candidate.is_file():
                mime = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
                immutable = "/assets/" in url_path  # hashed file names
                cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
                self._send_static(200, candidate.read_bytes(), mime, cache=cache)
                return
            if "." in url_path.rsplit("/", 1)[-1]:  # a file, not a page of the app: really missing
                self._send_error(404, "not_found", "no such file")
                return
            index = dist / "index.html"
            if index.is_file():
                page = page_headers(url_path, resources.endpoint_url, on_stripe=on_stripe, on_chime=on_chime)
                self._send_static(
                    200,
                    index.read_bytes(),
                    "text/html; charset=utf-8",
                    policy=page.csp,
                    permissions=page.permissions,
                )
            else:
                message = b"The web app is not built yet: run `make web` (or `make run`, which builds it)."
                self._send_static(503, message, "text/plain; charset=utf-8")

        def _send_static(
            self,
            status: int,
            body: bytes,
            mime: str,
            cache: str = "no-cache",
            policy: str | None = None,
            permissions: str = PERMISSIONS,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Security-Policy", policy or csp)
            self.send_header("Permissions-Policy", permissions)
            for name, value in _STATIC_HEADERS.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return PortalRequestHandler


def connect_to_running_portal(aws_port: int) -> None:
    """Point this process at the moto server of a running `make run` (a job run on demand, say)."""
    os.environ["AWS_ACCESS_KEY_ID"] = "local"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "local"
    resources = bootstrap(f"http://127.0.0.1:{aws_port}")  # idempotent: finds what `make run` made
    configure_environment(resources, PROJECT_ROOT / "clinics" / "demo.json")


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
    from chalice.local import LocalDevServer, ThreadedHTTPServer
    from moto.server import ThreadedMotoServer

    class PortalHTTPServer(ThreadedHTTPServer):
        request_queue_size = 128  # many browsers (or a test's 40 threads) connecting at once

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log would drown the banner
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    # moto accepts any credentials; never let a developer's real ones be picked up here.
    os.environ["AWS_ACCESS_KEY_ID"] = "local"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "local"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    serialize_moto()
    untrack_dynamodb_items()
    back_up_tables_once()
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
        server = LocalDevServer(
            app,
            config,
            host,
            port,
            handler_cls=_handler_class(resources, web_dist),
            server_cls=PortalHTTPServer,
        )
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


def _banner(portal: RunningPortal, *, seeded: bool) -> str:
    from chalicelib.core import config
    from chalicelib.local.seed import DEMO_USERS

    if not seeded:
        return "\n".join(
            [
                "",
                f"  {config.clinic().name} patient portal is running, empty, as a fresh deployment is",
                "",
                f"  Open  {portal.url}",
                "",
                '  Create the first administrator (README, "Go live"), then sign in as them:',
                f"    python -m chalicelib.local.first_admin <username> <email> --portal {portal.url}",
                "",
                f"  Local AWS (moto) at {portal.moto_url}; its state lives in memory and resets on restart.",
                "  Press Ctrl-C to stop.",
                "",
            ]
        )
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
        "  Staff sign in with a code from an authenticator app too. The demo staff share one demo app:",
        "    python -m chalicelib.local.totp drrivera     (prints the current 6-digit code)",
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
    parser.add_argument(
        "--empty", action="store_true", help="no demo seed: the clinic as a fresh deployment starts"
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with running_portal(
        host=args.host,
        port=args.port,
        aws_port=args.aws_port,
        clinic_file=args.clinic,
        seed_demo=not args.empty,
    ) as portal:
        print(_banner(portal, seeded=not args.empty), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        print("\n  Stopping…", flush=True)
        _exit_after(STOP_DEADLINE_SECONDS)
    # Everything lived in memory: skip the interpreter's tidy-up of moto's state, which takes seconds.
    os._exit(0)


def _exit_after(seconds: float) -> None:
    """Leave even if a request or moto holds on to a thread: there is nothing to save."""

    def force() -> None:
        time.sleep(seconds)
        os._exit(0)

    threading.Thread(target=force, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
