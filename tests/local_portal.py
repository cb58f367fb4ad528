"""The local portal (`python -m chalicelib.local`, as `make run` starts it) in a subprocess, over HTTP.

The server runs in its own process so its environment (local stage, moto endpoints) never leaks into
other test suites collected in the same pytest run, and so its threads race the way they do for a user.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"portal server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"portal server did not start in {timeout:.0f}s:\n{log.read_text(errors='replace')}")


@dataclass
class PortalProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    aws_url: str = ""  # the moto server it runs (its /moto-api/data.json holds the sent emails)

    def rss_mb(self) -> float:
        """The server's resident memory, read from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:"))

    def table(self) -> Any:
        """The clinic's table in the server's moto (not the audit table), to arrange a case the server's
        clock cannot reach, such as a visit that started minutes ago."""
        import boto3

        dynamodb: Any = boto3.resource("dynamodb", endpoint_url=self.aws_url, region_name="us-east-1")
        [name] = [n for n in dynamodb.meta.client.list_tables()["TableNames"] if not n.endswith("-audit")]
        return dynamodb.Table(name)

    @contextmanager
    def video_visit_now(self, patient_id: str, patient_name: str) -> Iterator[Any]:
        """A booked video visit with Dr. Rivera that started five minutes ago, removed afterwards so other
        tests see the demo data as seeded."""
        import uuid
        from datetime import UTC, datetime, timedelta

        from chalicelib.appointments import store as appointment_store
        from chalicelib.appointments.models import Appointment
        from chalicelib.core.identity import Role

        start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)
        visit = Appointment(
            id=f"apt-video{uuid.uuid4().hex[:8]}",
            patient_id=patient_id,
            patient_name=patient_name,
            provider_id="dr-rivera",
            visit_type_id="video-follow-up",
            modality="video",
            start=start,
            end=start + timedelta(minutes=20),
            status="booked",
            booked_at=datetime.now(UTC),
            booked_by_role=Role.FRONT_DESK,
        )
        table = self.table()
        table.put_item(Item=appointment_store.appointment_item(visit))
        try:
            yield visit
        finally:
            table.delete_item(Key=appointment_store.appointment_key(visit))

    def stop(self, timeout: float = 15.0) -> float:
        """SIGTERM, as a terminal's Ctrl-C or a process manager would; returns the seconds it took."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return time.monotonic() - started


@contextmanager
def local_portal(
    log_dir: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 120.0,
    empty: bool = False,
    clinic: Path | None = None,
) -> Iterator[PortalProcess]:
    """A freshly seeded local portal on free ports (demo users and passwords from chalicelib.local.seed);
    `empty`: no seed at all, as a clinic's stack is just after deployment."""
    port, aws_port = free_port(), free_port()
    log = log_dir / "server.log"
    argv = [sys.executable, "-m", "chalicelib.local", "--port", str(port), "--aws-port", str(aws_port)]
    if clinic is not None:
        argv += ["--clinic", str(clinic)]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
            [*argv, "--empty"] if empty else argv,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    portal = PortalProcess(f"http://127.0.0.1:{port}", process, log, f"http://127.0.0.1:{aws_port}")
    try:
        _wait_until_up(portal.url, process, log, timeout)
        yield portal
    finally:
        portal.stop()
