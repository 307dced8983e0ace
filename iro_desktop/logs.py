"""The app's log: a rotating file in the platform log folder (ids and counts only, never names).

No filter can reliably spot a child's name in free text, so privacy is kept at the source: the
app's own log calls carry ids, counts and exception *types*; tests search every file the app
writes for the children's names and dates of birth. Third-party loggers are held at WARNING.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE_NAME = "iro-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_NAME = "iro-desktop-file"


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the app's logging to a rotating file (call once at start); returns the file's path.
    Calling it again replaces the handler rather than adding a second one."""
    from iro_desktop.paths import log_dir

    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("iro_desktop").setLevel(level)
    # SQLAlchemy at INFO logs SQL *parameters* (names, dates of birth): never let it.
    for noisy in ("sqlalchemy", "PIL", "fontTools", "reportlab", "svglib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    return path
