"""The Lambda package: the app's code (packaged by Chalice) and one dependency layer built for the runtime.

The layer is built with pip from requirements.txt for Lambda's platform and the pinned Python, whatever
Python the deployer runs (wheels only: no compiler, no surprises). It is cached by what goes into it, so
only the first synth, or one after requirements.txt changes, needs the package registry.
Lambda's runtime brings boto3 and botocore; neither, nor any installer, may end up in the layer.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from chalicelib.core.config import PROJECT_ROOT

LAMBDA_PYTHON = "3.12"  # the functions' runtime: the code is tested on 3.11 and kept 3.12-compatible
RUNTIME_NAME = f"python{LAMBDA_PYTHON}"
# Lambda's python3.12+ runtimes run on Amazon Linux 2023 (glibc 2.34).
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64")
# Distributions that must never be deployed: the runtime has boto3; installers and Chalice's CLI are
# build tools (Chalice adds its small runtime, chalice/app.py, to the app package itself).
FORBIDDEN = ("boto3", "botocore", "s3transfer", "pip", "setuptools", "wheel", "chalice")
# What the code and dependency layer may weigh unzipped; Lambda's hard limit is 250 MB.
PACKAGE_BUDGET_MB = 100
_BUILDER_VERSION = "1"  # bump to rebuild every cached layer
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # same bytes for the same files: a stable asset hash


class LayerBuildFailed(Exception):
    pass


@dataclass(frozen=True)
class PackageSize:
    code_zip_bytes: int
    code_bytes: int
    layer_zip_bytes: int
    layer_bytes: int

    @property
    def unzipped_mb(self) -> float:
        return (self.code_bytes + self.layer_bytes) / 1e6

    def describe(self) -> str:
        return (
            f"Lambda package: code {self.code_zip_bytes / 1e6:.1f} MB zipped, dependency layer "
            f"{self.layer_zip_bytes / 1e6:.1f} MB zipped; {self.unzipped_mb:.1f} MB unzipped "
            f"(budget {PACKAGE_BUDGET_MB} MB)"
        )


def unzipped_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def size_of(code_zip: Path, layer_zip: Path) -> PackageSize:
    return PackageSize(
        code_zip_bytes=code_zip.stat().st_size,
        code_bytes=unzipped_bytes(code_zip),
        layer_zip_bytes=layer_zip.stat().st_size,
        layer_bytes=unzipped_bytes(layer_zip),
    )


def distributions(layer_zip: Path) -> set[str]:
    """Normalized names of the distributions in a layer, read from their .dist-info folders."""
    with zipfile.ZipFile(layer_zip) as archive:
        names = {
            part.removesuffix(".dist-info").rsplit("-", 1)[0]
            for name in archive.namelist()
            for part in name.split("/")
            if part.endswith(".dist-info")
        }
    return {name.lower().replace("_", "-").replace(".", "-") for name in names}


def dependency_layer(
    requirements: Path = PROJECT_ROOT / "requirements.txt",
    cache: Path = PROJECT_ROOT / "chalice.out" / "cache",
) -> Path:
    """The layer zip (python/...) for requirements.txt, built once and cached."""
    digest = hashlib.sha256(
        "\n".join(
            [requirements.read_text(encoding="utf-8"), LAMBDA_PYTHON, *PLATFORMS, _BUILDER_VERSION]
        ).encode()
    ).hexdigest()[:16]
    target = cache / f"layer-{RUNTIME_NAME}-{digest}.zip"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    work = cache / f"build-{digest}"
    shutil.rmtree(work, ignore_errors=True)
    site = work / "python"
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    result = subprocess.run(  # noqa: S603  our own interpreter's pip, fixed arguments
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--only-binary=:all:",
            "--implementation",
            "cp",
            "--python-version",
            LAMBDA_PYTHON,
            *platforms,
            "--target",
            str(site),
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise LayerBuildFailed(
            "building the dependency layer needs the Python package registry the first time "
            f"(pip failed):\n{result.stderr.strip()[-2000:]}"
        )
    for cached in site.rglob("__pycache__"):
        shutil.rmtree(cached, ignore_errors=True)
    shutil.rmtree(site / "bin", ignore_errors=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(work).as_posix(), date_time=_FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    shutil.rmtree(work, ignore_errors=True)
    found = distributions(partial) & set(FORBIDDEN)
    if found:
        partial.unlink()
        raise LayerBuildFailed(f"requirements.txt pulls in {sorted(found)}: keep them out of the Lambda")
    partial.rename(target)
    for old in cache.glob(f"layer-{RUNTIME_NAME}-*.zip"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
