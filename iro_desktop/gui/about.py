"""The About box: version, the Qt and Python it runs on, and the licences and credits we owe."""

from __future__ import annotations

import platform
import sys
from typing import Any

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from iro_desktop import APP_NAME, __version__

CREDITS: tuple[tuple[str, str, str], ...] = (
    ("OpenMoji", "pictograms in letters to children (openmoji.org)", "CC BY-SA 4.0"),
    ("SQLCipher", "encryption of the caseload (Zetetic LLC)", "BSD-3-Clause"),
    ("Andika", "the font of letters to children (SIL International)", "SIL Open Font License 1.1"),
    ("ReportLab", "PDF letters", "BSD"),
    ("Qt and Qt for Python (PySide6)", "the user interface (The Qt Company)", "LGPL v3"),
    ("SQLAlchemy and Alembic", "database access and migrations", "MIT"),
    ("holidays, python-dateutil", "bank holidays and calendar months", "MIT / BSD / Apache-2.0"),
)


def show_about(window: Any) -> None:
    """Menu action (Help > About)."""
    AboutDialog.show_about(window)


def about_html() -> str:
    rows = "".join(
        f"<tr><td><b>{name}</b></td><td>{what}</td><td>{licence}</td></tr>"
        for name, what, licence in CREDITS
    )
    return (
        f"<h2>{APP_NAME} {__version__}</h2>"
        "<p>Caseload, statutory review dates and child-friendly letters for Independent "
        "Reviewing Officers. Your caseload stays on this computer, encrypted.</p>"
        f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {platform.python_version()}"
        f" · {platform.system()} {platform.release()}</p>"
        "<h3>Licences and credits</h3>"
        f"<table cellspacing='0' cellpadding='3'><tr><th align='left'>Part</th>"
        f"<th align='left'>Used for</th><th align='left'>Licence</th></tr>{rows}</table>"
        "<p>OpenMoji pictures are shared under CC BY-SA 4.0: changes to them are shared the same "
        "way. Qt is used under the LGPL: you may replace the Qt libraries of this build.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.text = QTextBrowser()
        self.text.setAccessibleName(f"About {APP_NAME}")
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{APP_NAME} runs on Python {sys.version.split()[0]}."))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(620, 480)

    @staticmethod
    def show_about(parent: QWidget | None = None) -> tuple[None, bool]:
        dialog = AboutDialog(parent)
        try:
            dialog.exec()
            return None, True
        finally:
            dialog.deleteLater()
