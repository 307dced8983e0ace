"""The live page preview of a letter: the real PDF, rendered off the GUI thread, shown page by page.

The letter is laid out by the letters core (`render_letter_pdf`) into memory and rasterised with
PDFium (pypdfium2), so the IRO sees exactly what the child will get. Nothing touches the disk:
children's letters never go to temporary files.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRect,
    QStandardPaths,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.letters.compose import LetterDocument
from iro_desktop.letters.pdf import render_letter_pdf

log = logging.getLogger(__name__)

# PDFium is not thread-safe and reportlab's caches are shared: rendering and rasterising take turns.
_ENGINE_LOCK = threading.RLock()
PREVIEW_DEBOUNCE_MS = 400
# Long sections run on over pages (the letters core splits them); anything else that stops a
# letter being laid out gets this message, with the error's type name for support.
RENDER_FAILED = ("The letter could not be laid out ({error}). Your words are safe: save the "
                 "letter, and tell support if this keeps happening.")
PREVIEW_DPI = 110
PRINT_DPI = 300
_POINTS_PER_INCH = 72


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """One page of the letter as a picture, with its text (for tests and screen readers)."""

    image: QImage
    text: str


def rasterise_pdf(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[RenderedPage]:
    """Every page of `pdf` as an image at `dpi`. Safe off the GUI thread (QImage, not QPixmap);
    PDFium is not thread-safe, so one call at a time runs, whichever thread it is on."""
    with _ENGINE_LOCK:
        return _rasterise(pdf, dpi)


def _rasterise(pdf: bytes, dpi: int) -> list[RenderedPage]:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / _POINTS_PER_INCH, rev_byteorder=True,
                                 prefer_bgrx=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888).copy()  # own the pixels
            image.setDotsPerMeterX(round(dpi / 0.0254))
            image.setDotsPerMeterY(round(dpi / 0.0254))
            textpage = page.get_textpage()
            text = textpage.get_text_bounded()
            textpage.close()
            page.close()
            pages.append(RenderedPage(image, text))
        return pages
    finally:
        document.close()


def letter_pdf(doc: LetterDocument) -> bytes:
    """The letter as PDF bytes, in memory (never a temporary file). One render at a time: the
    preview thread and Save/Print share reportlab's font and picture caches."""
    buffer = io.BytesIO()
    with _ENGINE_LOCK:
        render_letter_pdf(doc, buffer)
    return buffer.getvalue()


def save_pdf_as(parent: QWidget | None, doc: LetterDocument) -> Path | None:
    """Ask where to save the letter as a PDF and write it there; None when cancelled or it
    could not be written (the IRO is told why). Only the IRO's chosen file is written."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder) / f"letter-{doc.review_date.isoformat()}.pdf")
    path, _ = QFileDialog.getSaveFileName(parent, "Save the letter as a PDF", suggested,
                                          "PDF files (*.pdf)")
    if not path:
        return None
    target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        target.write_bytes(letter_pdf(doc))
    except OSError as error:
        log.warning("letter PDF not written (%s)", type(error).__name__)
        QMessageBox.warning(parent, "The PDF was not saved",
                            f"The PDF could not be written there ({error.strerror}).")
        return None
    except Exception as error:  # a letter that cannot be laid out: say so, lose nothing
        log.exception("letter PDF not made (%s)", type(error).__name__)
        QMessageBox.warning(parent, "The PDF was not saved",
                            RENDER_FAILED.format(error=type(error).__name__))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    return target


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of `pdf` on `printer`: each page image (at up to 300 dpi) fills the
    paper, as the PDF's own margins already allow for. Returns the number of pages printed."""
    dpi = min(PRINT_DPI, max(printer.resolution(), _POINTS_PER_INCH))
    pages = rasterise_pdf(pdf, dpi)
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not start printing.")
    try:
        for number, page in enumerate(pages):
            if number:
                printer.newPage()
            area = painter.viewport()
            size = page.image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), page.image)
    finally:
        painter.end()
    return len(pages)


class _RenderWorker(QObject):
    """Lives on the preview thread: turns a PDF maker into page images.

    Jobs and results pass through this object under a lock and the signals carry only the
    generation number: queued signals carrying Python objects across threads crashed PySide6
    here (a refcount error while the GUI thread was busy)."""

    done = Signal(int)  # generation: its result is ready to `take`

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._jobs: dict[int, Callable[[], bytes]] = {}
        self._results: dict[int, tuple[list[RenderedPage], str]] = {}

    def submit(self, generation: int, make_pdf: Callable[[], bytes]) -> None:
        with self._lock:
            self._jobs[generation] = make_pdf

    def take(self, generation: int) -> tuple[list[RenderedPage], str]:
        """The pages, and the error's type name ("" when it worked)."""
        with self._lock:
            return self._results.pop(generation, ([], "missing"))

    @Slot(int)
    def render(self, generation: int) -> None:
        with self._lock:
            make_pdf = self._jobs.pop(generation, None)
        pages: list[RenderedPage] = []
        error = ""
        if make_pdf is not None:
            try:
                pages = rasterise_pdf(make_pdf())
            except Exception as exc:  # a broken preview must never take the letter down with it
                log.exception("letter preview failed (generation %d)", generation)
                error = type(exc).__name__
        with self._lock:
            self._results[generation] = (pages, error)
        self.done.emit(generation)


class PreviewRenderer(QObject):
    """Debounces render requests and runs at most one render at a time on its own thread.

    `request(make_pdf)` may be called on every keystroke: the newest request wins, and it runs
    `PREVIEW_DEBOUNCE_MS` after the last one. `make_pdf` runs on the preview thread, so it must
    use only plain data (a copy of the letter), never widgets or the GUI's session. One thread
    also keeps PDFium, which is not thread-safe, on one thread.
    """

    rendered = Signal(object)  # list[RenderedPage]: the newest letter's pages
    failed = Signal(str)  # the error's type name: the preview could not be made
    busy_changed = Signal(bool)  # True while the preview is out of date or being made
    _render = Signal(int)  # to the worker: render this generation

    def __init__(self, parent: QObject | None = None, debounce_ms: int = PREVIEW_DEBOUNCE_MS):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("letter-preview")
        self._worker = _RenderWorker()
        self._worker.moveToThread(self._thread)
        self._render.connect(self._worker.render)
        self._worker.done.connect(self._on_done)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a running QThread must never outlive the app
            app.aboutToQuit.connect(self.shutdown)
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(self._start)
        self._pending: Callable[[], bytes] | None = None
        self._generation = 0
        self._running = False
        self._stopped = False

    def request(self, make_pdf: Callable[[], bytes], *, now: bool = False) -> None:
        if self._stopped:
            return
        self._pending = make_pdf
        self.busy_changed.emit(True)
        if now:
            self._timer.stop()
            self._start()
        else:
            self._timer.start()

    def is_busy(self) -> bool:
        return self._running or self._pending is not None

    def shutdown(self) -> None:
        """Drop pending work, let a running render finish, stop the thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self._pending = None
        self._thread.quit()
        self._thread.wait()

    @Slot()
    def _start(self) -> None:
        if self._running or self._pending is None or self._stopped:
            return  # the running render's finish starts the newest pending one
        make_pdf, self._pending = self._pending, None
        self._generation += 1
        self._running = True
        self._worker.submit(self._generation, make_pdf)
        self._render.emit(self._generation)

    def _after_job(self) -> None:
        self._running = False
        if self._pending is not None and not self._timer.isActive():
            self._start()
        elif self._pending is None:
            self.busy_changed.emit(False)

    @Slot(int)
    def _on_done(self, generation: int) -> None:
        pages, error = self._worker.take(generation)
        if self._stopped:
            return
        if self._pending is None:
            if error:
                self.failed.emit(error)
            else:
                self.rendered.emit(pages)
        self._after_job()


class LetterPreview(QWidget):
    """The pages of the letter as the child will see them, one at a time, fitted to the width."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._pages: list[RenderedPage] = []
        self._index = 0

        self._status = QLabel("Making the preview…")
        self._status.setAccessibleName("Preview status")
        self._page_label = QLabel()
        self._page_label.setAccessibleName("Page number")
        self._previous = QPushButton("◀ Page")
        self._previous.setAccessibleName("Previous page")
        self._previous.setToolTip("Previous page (Ctrl+Page Up)")
        self._next = QPushButton("Page ▶")
        self._next.setAccessibleName("Next page")
        self._next.setToolTip("Next page (Ctrl+Page Down)")
        self._previous.clicked.connect(lambda: self.show_page(self._index - 1))
        self._next.clicked.connect(lambda: self.show_page(self._index + 1))
        for keys, step in (("Ctrl+PgUp", -1), ("Ctrl+PgDown", 1)):
            shortcut = QShortcut(QKeySequence(keys), self,
                                 context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda step=step: self.show_page(self._index + step))

        self._image = QLabel()
        self._image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._image.setAccessibleName("Letter page")
        self._image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._scroll = QScrollArea()
        self._scroll.setWidget(self._image)
        self._scroll.setWidgetResizable(True)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._scroll.setStyleSheet("QScrollArea { background: #8a8f98; }")
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        bar = QHBoxLayout()
        bar.addWidget(self._status, 1)
        bar.addWidget(self._previous)
        bar.addWidget(self._page_label)
        bar.addWidget(self._next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._scroll, 1)
        self._update_navigation()

    # -- what the composer calls ------------------------------------------------------------
    def set_pages(self, pages: list[RenderedPage]) -> None:
        self._pages = pages
        self._status.setText("Preview")
        self.show_page(min(self._index, len(pages) - 1))

    def set_busy(self, busy: bool) -> None:
        if busy:
            self._status.setText("Updating the preview…")

    def set_failed(self, message: str) -> None:
        """`message` is the error's type name from the renderer."""
        self._status.setText(f"⚠ The preview could not be made ({message}). Your words are "
                             "safe: you can still save the letter.")
        self._status.setWordWrap(True)

    def page_count(self) -> int:
        return len(self._pages)

    def current_page(self) -> int:
        return self._index

    def page_text(self, index: int | None = None) -> str:
        if not self._pages:
            return ""
        return self._pages[self._index if index is None else index].text

    def page_image(self, index: int | None = None) -> QImage:
        if not self._pages:
            return QImage()
        return self._pages[self._index if index is None else index].image

    def show_words(self, words: str) -> bool:
        """Turn to the first page with these words on it (a section's heading); False if none."""
        wanted = " ".join(words.split())
        if not wanted:
            return False
        for number, page in enumerate(self._pages):
            if wanted in " ".join(page.text.split()):
                if number != self._index:
                    self.show_page(number)
                return True
        return False

    def show_page(self, index: int) -> None:
        if not self._pages:
            self._index = 0
        else:
            self._index = max(0, min(index, len(self._pages) - 1))
        self._show_image()
        self._update_navigation()

    # -- drawing ----------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._show_image()

    def _show_image(self) -> None:
        if not self._pages:
            self._image.clear()
            return
        page = self._pages[self._index]
        width = max(self._scroll.viewport().width() - 16, 100)
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap.fromImage(page.image.scaledToWidth(
            round(width * ratio), Qt.TransformationMode.SmoothTransformation))
        pixmap.setDevicePixelRatio(ratio)
        self._image.setPixmap(pixmap)
        self._image.setMinimumHeight(round(pixmap.height() / ratio))
        # Screen readers get the page's words.
        self._image.setAccessibleDescription(page.text)

    def _update_navigation(self) -> None:
        count = len(self._pages)
        self._page_label.setText(f"{self._index + 1} of {count}" if count else "")
        self._previous.setEnabled(self._index > 0)
        self._next.setEnabled(self._index < count - 1)
        self._previous.setVisible(count > 1)
        self._next.setVisible(count > 1)
