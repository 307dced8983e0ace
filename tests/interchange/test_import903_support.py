"""Helpers for the 903 import tests: a small valid set of files, to break one piece at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iro_desktop.db.models import Child, Episode, Review

TODAY = dt.date(2026, 12, 1)

HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C001,F,09/03/2014,WBRI,A12345678901B,,
C002,M,15/06/2023,BAFR,,,
C003,1,01/01/2010,MWBC,,0,
C004,2,20/08/2012,WBRI,,,
"""
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    """C001,01/05/2025,S,C2,N1,U4,PR1,,,,ZZ1 1ZZ,ZZ2 2ZZ,
C002,01/02/2026,S,C1,N1,U6,PR4,,,,ZZ1 3ZZ,ZZ9 9ZZ,
C003,01/01/2024,S,V2,N4,U4,PR1,01/06/2024,X1,,ZZ1 1ZZ,ZZ3 3ZZ,
C003,01/06/2024,P,V2,N4,K2,PR4,,,CARPL,ZZ1 1ZZ,ZZ4 4ZZ,SC123456
C004,10/04/2025,S,V4,N2,U6,PR1,,,,ZZ1 1ZZ,ZZ5 5ZZ,
"""
)
REVIEWS = """CHILD,DOB,REVIEW,REVIEW_CODE
C001,09/03/2014,02/06/2025,PN1
C001,09/03/2014,01/09/2025,PN6
C002,15/06/2023,01/03/2026,PN0
C003,01/01/2010,29/01/2024,PN1
"""
CHILDREN = """CHILD,FIRST_NAME,LAST_NAME,PREFERRED_NAME
C001,Ivy,Testwood,
C002,Obi,Examplefield,
C003,Rafferty,Sampleton,Raff
C004,Juno,Mockridge,
"""


def write_903(
    folder: Path,
    *,
    header: str = HEADER,
    episodes: str = EPISODES,
    reviews: str = REVIEWS,
    children: str | None = CHILDREN,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    """Write the files into `folder`; pass a table as "" to leave its file out."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("header.csv", header),
        ("episodes.csv", episodes),
        ("reviews.csv", reviews),
        ("children.csv", children),
    ):
        if text is None or text == "":
            continue
        (folder / name).write_bytes(text.replace("\n", newline).encode(encoding))
    return folder


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(model))
        for model in (Child, Episode, Review)
    )


def snapshot(session: Session) -> list[tuple]:
    """Every stored value of the three tables, to prove a refused import changed nothing."""
    session.expire_all()
    rows: list[tuple] = []
    for model in (Child, Episode, Review):
        table = model.__table__
        rows.extend(tuple(r) for r in session.execute(select(table).order_by(table.c.id)))
    return rows
