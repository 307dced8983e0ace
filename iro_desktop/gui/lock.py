"""Locking: after inactivity and on Ctrl+L every window is covered so no child's data shows, until
the IRO types the passphrase. Open dialogs stay open underneath, so unsaved edits survive."""

from __future__ import annotations

import contextlib
import logging
import math
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPalette, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop import APP_NAME, settings
from iro_desktop.db.passphrase import RetryLimiter, delay_after, try_passphrase
from iro_desktop.paths import resource_path

log = logging.getLogger(__name__)

LOCKED_TITLE = f"{APP_NAME} (locked)"
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


def lock_window(window: Any) -> None:
    """Menu action (File > Lock, Ctrl+L)."""
    window.lock.lock_now()


def retry_delay_seconds(failures: int) -> int:
    """Seconds the lock screen waits after `failures` wrong passphrases in a row: the same rule
    (and, through RetryLimiter, the same persisted count) as the unlock dialog at start."""
    return math.ceil(delay_after(failures))


class LockOverlay(QWidget):
    """An opaque sheet over a whole window. On the window the IRO can type in, it asks for the
    passphrase; on the others it just says the app is locked."""

    #: The IRO pressed Unlock (or Enter) with this passphrase.
    unlock_requested = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("LockOverlay")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Window))
        self.setPalette(palette)
        self.setAccessibleName("Locked")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = QLabel(f"{APP_NAME} is locked")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel("Unlock in the main window.")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase: QLineEdit | None = None
        self.unlock_button: QPushButton | None = None
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #a31515;")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Unlock message")
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icon_file = resource_path("icons", "iro-desktop.png")
        if icon_file.exists():
            self.icon.setPixmap(QPixmap(str(icon_file)).scaledToHeight(
                64, Qt.TransformationMode.SmoothTransformation))
        self._column = QVBoxLayout(self)
        self._column.addStretch(1)
        self._column.addWidget(self.icon)
        self._column.addWidget(self.title)
        self._column.addWidget(self.hint)
        self._column.addWidget(self.message)
        self._column.addStretch(2)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def add_prompt(self) -> None:
        if self.passphrase is not None:
            return
        self.hint.setText("Type your passphrase to carry on where you left off.")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setMinimumWidth(self.passphrase.fontMetrics().horizontalAdvance("0") * 28)
        caption = QLabel("&Passphrase:")
        caption.setBuddy(self.passphrase)
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setAutoDefault(False)
        self.passphrase.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(caption)
        row.addWidget(self.passphrase)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        self._column.insertLayout(4, row)
        for widget in (caption, self.passphrase, self.unlock_button):
            widget.show()  # now, not at the next layout pass, so the focus below takes
        self.setTabOrder(self.passphrase, self.unlock_button)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        if self.passphrase is not None and self.passphrase.isEnabled():
            self.unlock_requested.emit(self.passphrase.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Swallow every key that reaches the sheet: Escape must not cancel the dialog underneath
        # and Enter must not press its default button.
        event.accept()

    def focusNextPrevChild(self, _next: bool) -> bool:
        # Tab stays on the sheet: nothing underneath can be reached.
        if self.passphrase is None or self.unlock_button is None:
            return True
        target = self.unlock_button if self.passphrase.hasFocus() else self.passphrase
        if target.isEnabled():
            target.setFocus(Qt.FocusReason.TabFocusReason)
        return True


class _Covered:
    """What locking changed on one window, so unlocking puts it back exactly."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.title = window.windowTitle()
        self.focus = window.focusWidget()
        self.disabled: list[Any] = []
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for child in window.findChildren(QWidget, options=direct):
            if child.isWindow() or child.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled):
                continue
            child.setEnabled(False)
            self.disabled.append(child)
        for item in window.findChildren(QAction) + window.findChildren(QShortcut):
            if item.isEnabled():
                item.setEnabled(False)
                self.disabled.append(item)
        window.setWindowTitle(LOCKED_TITLE)
        self.overlay = LockOverlay(window)
        self.resized_from: QSize | None = None
        self.limits: tuple[QSize, QSize] = (QSize(), QSize())

    def make_room_for_prompt(self) -> None:
        """A small modal dialog (a message box) grows while locked so the prompt fits in it."""
        needed = self.overlay.minimumSizeHint().expandedTo(self.overlay.sizeHint())
        size = self.window.size()
        if needed.width() > size.width() or needed.height() > size.height():
            self.resized_from = size
            self.limits = (self.window.minimumSize(), self.window.maximumSize())
            QApplication.sendPostedEvents(self.window, QEvent.Type.LayoutRequest)
            # A message box fixes its own size; fixing it larger holds while it is locked.
            self.window.setFixedSize(size.expandedTo(needed))

    def restore(self) -> None:
        self.window.removeEventFilter(self.overlay)
        self.overlay.hide()
        self.overlay.deleteLater()
        for item in self.disabled:
            try:
                item.setEnabled(True)
            except RuntimeError:  # deleted while locked
                continue
        self.window.setWindowTitle(self.title)
        if self.resized_from is not None:
            smallest, largest = self.limits
            self.window.setMinimumSize(smallest)
            self.window.setMaximumSize(largest)
            self.window.resize(self.resized_from)
        if self.focus is not None:
            with contextlib.suppress(RuntimeError):  # the focused widget was deleted meanwhile
                self.focus.setFocus(Qt.FocusReason.OtherFocusReason)


class LockManager(QObject):
    """Locks the app after `lock_after_minutes` without key or mouse input, and on demand.

    Signals: `locked()` when every window has been covered; `unlocked()` after the right passphrase.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, main_window: QWidget, store: Any,
                 limiter: RetryLimiter | None = None) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self.store = store
        self.is_locked = False
        # One limit for the lock screen and the unlock dialog, kept across restarts.
        self._given_limiter = limiter
        self._limiter = limiter
        self._covered: list[_Covered] = []
        self._prompt: LockOverlay | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._allow_retry)
        self.reload_settings()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def shutdown(self) -> None:
        """Stop watching input (the main window is closing)."""
        self._timer.stop()
        self._retry.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def reload_settings(self) -> None:
        with self.store.session() as session:
            minutes = int(settings.get(session, "lock_after_minutes"))
        self.set_idle_interval(minutes * 60_000)

    def set_idle_interval(self, milliseconds: int) -> None:
        self._timer.setInterval(milliseconds)
        if not self.is_locked:
            self._timer.start()

    # -- inactivity ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS:
            if not self.is_locked:
                self._timer.start()
        elif self.is_locked and isinstance(watched, QWidget) and watched.isWindow():
            showing = kind == QEvent.Type.Show and self._coverable(watched)
            if showing and not self._is_covered(watched):
                self._cover(watched)
            elif kind == QEvent.Type.Close and watched is not self.main_window:
                event.ignore()  # a locked dialog must not be closed (its edits would be lost)
                return True
        return False

    # -- locking -------------------------------------------------------------------------------
    def _coverable(self, widget: QWidget) -> bool:
        if not widget.isVisible() or isinstance(widget, LockOverlay):
            return False
        kind = widget.windowType()
        return kind not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)

    def _is_covered(self, widget: QWidget) -> bool:
        return any(c.window is widget for c in self._covered)

    def _cover(self, window: QWidget) -> None:
        covered = _Covered(window)
        covered.overlay.unlock_requested.connect(self.try_unlock)
        self._covered.append(covered)

    def lock_now(self) -> None:
        if self.is_locked or not self.main_window.isVisible():  # closed: nothing to hide
            return
        self.is_locked = True
        self._timer.stop()
        # Read afresh: the unlock dialog (or another run of the app) may have counted failures.
        self._limiter = self._given_limiter or RetryLimiter.default()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open menu or calendar would show over the sheet
            popup.close()
            popup = QApplication.activePopupWidget()
        windows = [w for w in QApplication.topLevelWidgets() if self._coverable(w)]
        if self.main_window not in windows:
            windows.insert(0, self.main_window)
        for window in windows:
            self._cover(window)
        self._place_prompt()
        log.info("locked (%d windows covered)", len(self._covered))
        self.locked.emit()

    def _place_prompt(self) -> None:
        """The passphrase goes where the IRO can type: a modal dialog, else the main window."""
        modal = QApplication.activeModalWidget()
        target = next((c for c in self._covered if c.window is modal), None)
        target = target or next(c for c in self._covered if c.window is self.main_window)
        self._prompt = target.overlay
        target.overlay.add_prompt()
        target.make_room_for_prompt()
        target.window.activateWindow()

        wait = self.limiter.wait_seconds()
        if wait > 0:  # wrong tries before the lock (or before a restart) still count
            self._hold_prompt(wait, "Too many wrong passphrases.")

    @property
    def limiter(self) -> RetryLimiter:
        if self._limiter is None:  # read only when first needed: no file access at start
            self._limiter = RetryLimiter.default()
        return self._limiter

    @property
    def failures(self) -> int:
        return self.limiter.failures

    def overlays(self) -> list[LockOverlay]:
        return [c.overlay for c in self._covered]

    def prompt(self) -> LockOverlay | None:
        return self._prompt

    # -- unlocking -----------------------------------------------------------------------------
    def try_unlock(self, passphrase: str) -> bool:
        if not self.is_locked or self._retry.isActive():
            return False
        opened, wait = try_passphrase(self.limiter, lambda: self.store.check_passphrase(passphrase))
        if opened:
            self._unlock()
            return True
        log.info("wrong passphrase at the lock screen (%d in a row)", self.limiter.failures)
        prompt = self._prompt
        if prompt is not None and prompt.passphrase is not None:
            prompt.passphrase.clear()
            text = "That passphrase is not right. Check Caps Lock and try again."
            if wait > 0:
                self._hold_prompt(wait, text)
            else:
                prompt.message.setText(text)
        return False

    def _hold_prompt(self, wait: float, text: str) -> None:
        """Disable the prompt for `wait` seconds and say so."""
        prompt = self._prompt
        if prompt is None or prompt.passphrase is None or prompt.unlock_button is None:
            return
        seconds = max(1, math.ceil(wait))
        prompt.passphrase.setEnabled(False)
        prompt.unlock_button.setEnabled(False)
        prompt.message.setText(f"{text} You can try again in {seconds} seconds.")
        self._retry.start(seconds * 1000)

    def _allow_retry(self) -> None:
        prompt = self._prompt
        if prompt is None or prompt.passphrase is None or prompt.unlock_button is None:
            return
        prompt.passphrase.setEnabled(True)
        prompt.unlock_button.setEnabled(True)
        prompt.passphrase.setFocus()
        prompt.message.setText("Try your passphrase again.")

    def _unlock(self) -> None:
        covered, self._covered = self._covered, []
        self._prompt = None
        self.is_locked = False
        self._retry.stop()
        for item in reversed(covered):
            item.restore()
        self._timer.start()
        log.info("unlocked")
        self.unlocked.emit()
