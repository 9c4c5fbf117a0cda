"""Damaged PDFs: does every copy that loses text say so, and does no copy read whole say it lost text?

    python bench/damage_flags.py            # 60 copies of bj0003, about a minute

Copies of one four-cities PDF with bits flipped or blocks zeroed at random (``tests/bad_inputs.py``'s
``flipped_bits``, rounds 0..59, seeded), each extracted as a run does; its text is compared with
the truth (whitespace ignored). A copy is "flagged" when its extraction carries a damaged-page flag
or it is skipped with a reason.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from textmine.errors import ExtractionError  # noqa: E402
from textmine.ingest.extract import extract_file  # noqa: E402

from bad_inputs import SAMPLE_TRUTH, flipped_bits  # noqa: E402
from conftest import comparable  # noqa: E402


def main() -> None:
    truth = comparable(SAMPLE_TRUTH.read_text(encoding="utf-8"))
    outcome = {("lost", True): 0, ("lost", False): 0, ("whole", True): 0, ("whole", False): 0}
    unflagged_losses = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(60):
            path = flipped_bits(Path(tmp), round_)
            try:
                extracted = extract_file(path)
                text, flagged = comparable(extracted.text), any(f.startswith("damaged page") for f in extracted.flags)
            except ExtractionError:
                text, flagged = "", True
            kind = "whole" if text == truth else "lost"
            outcome[(kind, flagged)] += 1
            if kind == "lost" and not flagged:
                unflagged_losses.append(round_)
    print(
        f"text lost: {outcome[('lost', True)]} flagged, {outcome[('lost', False)]} not {unflagged_losses}; "
        f"read whole: {outcome[('whole', False)]} not flagged, {outcome[('whole', True)]} flagged"
    )


if __name__ == "__main__":
    main()
