"""One part of `make bench`, run in a fresh interpreter: `python -m bench.part <module> <result file>`.

Each part gets an interpreter of its own: moto keeps its state (and the bench's patches) per process, and
a part that imports the app would otherwise change what the next one measures as a cold start.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from bench.report import Part


def main(module_name: str, result_file: str) -> None:
    module = importlib.import_module(module_name)
    part: Part = module.run()
    Path(result_file).write_text(part.to_json())


if __name__ == "__main__":
    main(*sys.argv[1:3])
