"""Rows of figures, and the one markdown table `make bench` prints and writes to bench/last-run.md."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Final

NO_GOAL: Final = "-"
OK: Final = "ok"


@dataclass(frozen=True)
class Row:
    part: str
    figure: str
    value: str
    unit: str
    goal: str = NO_GOAL
    verdict: str = NO_GOAL  # "ok", or what is wrong; "-" for a figure without a goal


@dataclass
class Part:
    """What one bench part measured: its rows, and the notes that say how."""

    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: str, value: str, unit: str, goal: str = NO_GOAL, verdict: str = NO_GOAL) -> None:
        self.rows.append(Row(self.name, figure, value, unit, goal, verdict))

    def to_json(self) -> str:
        return json.dumps({"name": self.name, "rows": [asdict(r) for r in self.rows], "notes": self.notes})

    @classmethod
    def from_json(cls, text: str) -> Part:
        data = json.loads(text)
        return cls(data["name"], [Row(**row) for row in data["rows"]], list(data["notes"]))


def ratio_verdict(ratio: float, goal: float) -> str:
    return OK if ratio <= goal else f"over goal ({ratio:.2f}x)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(parts: list[Part], *, title: str, preamble: list[str]) -> str:
    """One table of every part's rows, then each part's notes."""
    lines = [f"# {title}", "", *preamble, ""]
    header = ("Part", "Figure", "Value", "Unit", "Goal", "Verdict")
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for part in parts:
        for row in part.rows:
            cells = (row.part, row.figure, row.value, row.unit, row.goal, row.verdict)
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    notes = [(part.name, note) for part in parts for note in part.notes]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- **{name}**: {note}" for name, note in notes]
    return "\n".join(lines) + "\n"
