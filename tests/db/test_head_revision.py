"""HEAD_REVISION (read on every start instead of importing Alembic) equals the script head,
and a normal start of an up-to-date store never imports Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from iro_desktop.db import migrations

ROOT = Path(__file__).resolve().parents[2]


def test_head_revision_constant_equals_the_script_directory_head() -> None:
    assert migrations.head_revision() == migrations.HEAD_REVISION, (
        "a new revision was added: set HEAD_REVISION in iro_desktop/db/migrations/__init__.py")


def test_current_revision_without_alembic(store: object) -> None:
    assert migrations.current_revision(store.engine) == migrations.HEAD_REVISION  # type: ignore[attr-defined]


def test_opening_an_up_to_date_store_does_not_import_alembic(store_path: Path) -> None:
    from tests.conftest import TEST_PASSPHRASE

    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from iro_desktop.db.store import open_store
        store = open_store(Path(sys.argv[1]), sys.argv[2])
        store.close()
        print(sorted(m for m in sys.modules if m.split(".")[0] == "alembic"))
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, str(store_path), TEST_PASSPHRASE],
                         env=env, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
