"""Run the DfE rules as the public validator (`csc-validator-be-903`, import name lac_validator)
implements them, over a folder of 903 CSV files. A dev-only dependency: tests skip without it."""

from __future__ import annotations

import importlib
import logging
import warnings
from pathlib import Path

TABLES = ("header.csv", "episodes.csv", "reviews.csv")
LOCAL_AUTHORITY = "E09000028"  # Southwark: the council the files are validated as coming from


def available() -> bool:
    try:
        importlib.import_module("lac_validator.lac_validator")
    except ImportError:
        return False
    return True


def validate_folder(
    folder: Path, year: int, local_authority: str = LOCAL_AUTHORITY
) -> dict[str, int]:
    """{rule code: number of rows failing it}; empty when the files pass every rule."""
    # Rules needing tables the IRO does not hold (OC2, UASC, SW episodes...) fail to run and are
    # logged with a traceback by the validator: they are skipped, so keep them out of the output.
    logging.getLogger("lac_validator").setLevel(logging.CRITICAL)
    from lac_validator import lac_validator
    from lac_validator.report import Report

    ruleset = importlib.import_module(f"lac_validator.rules.lac{year - 1}_{str(year)[2:]}")
    files = [
        {"name": name, "file_content": (folder / name).read_bytes(), "description": "This year"}
        for name in TABLES
    ]
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": str(year), "localAuthority": local_authority},
        files=files,
        registry=ruleset.registry,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pandas, inside the validator's report
        report = Report(validator.ds_results, ruleset.registry).error_report
    failing = report[report["Count"] > 0]
    found = {
        str(code): int(count) for code, count in zip(failing["Code"], failing["Count"], strict=True)
    }
    found.update(_misnamed_rules(folder, ruleset.registry, validator.fails))
    return found


# Rules that cannot run in this validator version because they read a column by another name
# (0.1.17's rule 233 reads DATE_EPISODE_CEASED, which no table has: it is DEC): run here on the
# file with the column given that name too, so what they check is still checked.
MISNAMED = {"233": ("Episodes", "episodes.csv", {"DATE_EPISODE_CEASED": "DEC"})}


def _misnamed_rules(folder: Path, registry, failed_to_run: list[str]) -> dict[str, int]:
    import pandas as pd

    found = {}
    for code, (table, name, aliases) in MISNAMED.items():
        if code not in failed_to_run:
            continue  # absent from these rules, or it ran (a later version reads DEC)
        frame = pd.read_csv(folder / name, dtype=str)
        for alias, column in aliases.items():
            frame[alias] = frame[column]
        rows = registry[code].func({table: frame}).get(table, [])
        if rows:
            found[code] = len(rows)
    return found


def describe(folder: Path, year: int) -> dict[str, tuple[int, str]]:
    """Like validate_folder, with each rule's message (for docs/EXCHANGE.md)."""
    from lac_validator.rules import lac2025_26  # noqa: F401 - registers the rules

    ruleset = importlib.import_module(f"lac_validator.rules.lac{year - 1}_{str(year)[2:]}")
    return {
        code: (count, ruleset.registry[code].message)
        for code, count in validate_folder(folder, year).items()
    }
