"""The picture picker: choose the picture beside a letter's section from the bundled pictograms
(by topic or by word) or from the IRO's own pictures, and add new ones of the IRO's own.

    ref, accepted = PicturePicker.choose(parent, store, current="house")
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload.validation import ValidationError
from iro_desktop.letters import pictures
from iro_desktop.letters.pictures import OWN_TOPIC, TOPICS, PictureInfo

log = logging.getLogger(__name__)

ICON_SIZE = 64
TOPIC_ICON_SIZE = 24
MY_PICTURES_ICON = "picture-frame"  # stands for "My pictures" until the IRO adds one
ALL_TOPICS = ""  # the topic key of "All pictures"
REF_ROLE = Qt.ItemDataRole.UserRole + 1
TOPIC_ROLE = Qt.ItemDataRole.UserRole + 2
_MIME_BY_SUFFIX = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg",
                   ".jpeg": "image/jpeg"}
_ModelIndex = QModelIndex | QPersistentModelIndex

# Bundled pictograms never change while the app runs: one rendered icon each, for the process.
_LIBRARY_ICONS: dict[tuple[str, int], QIcon] = {}


def icon_from_bytes(content: bytes, mime_type: str, size: int = ICON_SIZE) -> QIcon:
    """A square icon from SVG, PNG or JPEG bytes, centred and scaled to fit."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    if mime_type == "image/svg+xml":
        renderer = QSvgRenderer(QByteArray(content))
        renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        renderer.render(painter)
    else:
        source = QImage.fromData(content)
        if not source.isNull():
            scaled = source.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            painter.drawImage((size - scaled.width()) // 2, (size - scaled.height()) // 2, scaled)
    painter.end()
    return QIcon(QPixmap.fromImage(image))


class PictureIcons:
    """Icons for picture references. Bundled pictograms are cached for the process; the IRO's
    own pictures (personal data, from the encrypted store) only for this object's life."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self._store = store
        self._own: dict[tuple[str, int], QIcon] = {}

    def icon(self, ref: str, size: int = ICON_SIZE) -> QIcon:
        if not ref:
            return QIcon()
        if ref.startswith(pictures.OWN_PREFIX):
            key = (ref, size)
            if key not in self._own:
                with self._store.session() as session:
                    data = pictures.picture_data(ref, session)
                self._own[key] = (icon_from_bytes(data.content, data.mime_type, size)
                                  if data else QIcon())
            return self._own[key]
        key = (ref, size)
        if key not in _LIBRARY_ICONS:
            data = pictures.picture_data(ref)
            _LIBRARY_ICONS[key] = (icon_from_bytes(data.content, data.mime_type, size)
                                   if data else QIcon())
        return _LIBRARY_ICONS[key]

    def forget(self, ref: str) -> None:
        for key in [k for k in self._own if k[0] == ref]:
            del self._own[key]


class TopicsModel(QAbstractListModel):
    """The topics down the left: All pictures, My pictures, then the library's topics."""

    def __init__(self, counts: dict[str, int], parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._topics: list[tuple[str, str]] = []
        self._icons: dict[str, QIcon] = {}
        self.set_counts(counts)

    def set_counts(self, counts: dict[str, int], icons: dict[str, QIcon] | None = None) -> None:
        """Pictures per topic, and optionally an icon that stands for each topic."""
        self.beginResetModel()
        self._counts = dict(counts)
        self._icons = dict(icons or {})
        self._topics = [(ALL_TOPICS, "All pictures"), (OWN_TOPIC, "My pictures"), *TOPICS]
        self.endResetModel()

    def topic(self, row: int) -> str:
        return self._topics[row][0]

    def row_of(self, topic: str) -> int:
        return next((i for i, (key, _) in enumerate(self._topics) if key == topic), 0)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._topics)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._topics):
            return None
        key, label = self._topics[index.row()]
        count = sum(self._counts.values()) if key == ALL_TOPICS else self._counts.get(key, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{label} ({count})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{label}, {count} pictures"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(key)
        if role == TOPIC_ROLE:
            return key
        return None


class PictureModel(QAbstractListModel):
    """Every picture the IRO can choose, with its icon (rendered when first shown)."""

    def __init__(self, icons: PictureIcons, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._icons = icons
        self._pictures: list[PictureInfo] = []

    def set_pictures(self, items: list[PictureInfo]) -> None:
        self.beginResetModel()
        self._pictures = list(items)
        self.endResetModel()

    def picture(self, row: int) -> PictureInfo:
        return self._pictures[row]

    def row_of(self, ref: str) -> int:
        return next((i for i, p in enumerate(self._pictures) if p.ref == ref), -1)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self._pictures:
            counts[item.topic] = counts.get(item.topic, 0) + 1
        return counts

    def first_of_each_topic(self) -> dict[str, str]:
        """A picture reference that stands for each topic (its first picture)."""
        firsts: dict[str, str] = {}
        for item in self._pictures:
            firsts.setdefault(item.topic, item.ref)
        if self._pictures:
            firsts[ALL_TOPICS] = next((p.ref for p in self._pictures if not p.own),
                                      self._pictures[0].ref)
        if OWN_TOPIC not in firsts and self.row_of(MY_PICTURES_ICON) >= 0:
            firsts[OWN_TOPIC] = MY_PICTURES_ICON
        return firsts

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pictures)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._pictures):
            return None
        item = self._pictures[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            words = ", ".join(item.keywords[:8])
            return f"{item.name}\n{words}" if words else item.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.icon(item.ref)
        if role == REF_ROLE:
            return item.ref
        if role == TOPIC_ROLE:
            return item.topic
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


class PictureFilter(QSortFilterProxyModel):
    """Shows one topic, and when the IRO searches, only the core's matches, best first."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._topic = ALL_TOPICS
        self._ranks: dict[str, int] | None = None  # None: not searching

    def set_topic(self, topic: str) -> None:
        self.beginFilterChange()
        self._topic = topic
        self.endFilterChange()

    def set_matches(self, refs: list[str] | None) -> None:
        """The core's search result in order, or None to show every picture of the topic."""
        self.beginFilterChange()
        self._ranks = None if refs is None else {ref: rank for rank, ref in enumerate(refs)}
        self.endFilterChange()
        self.sort(0 if refs is not None else -1)

    def filterAcceptsRow(self, source_row: int, source_parent: _ModelIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._topic != ALL_TOPICS and index.data(TOPIC_ROLE) != self._topic:
            return False
        return self._ranks is None or index.data(REF_ROLE) in self._ranks

    def lessThan(self, left: _ModelIndex, right: _ModelIndex) -> bool:
        if self._ranks is None:
            return left.row() < right.row()
        last = len(self._ranks)
        return (self._ranks.get(left.data(REF_ROLE), last)
                < self._ranks.get(right.data(REF_ROLE), last))


class PicturePicker(QDialog):
    """Pick a picture: topics on the left, a grid of pictures, search by word as you type."""

    def __init__(self, store, current: str = "", parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setWindowTitle("Choose a picture")
        self.setAccessibleName("Choose a picture")
        self._store = store
        self._chosen = current
        self._icons = PictureIcons(store)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search by word: football, home, happy…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search pictures by word")
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search_edit)

        self.pictures = PictureModel(self._icons, self)
        self.filter = PictureFilter(self)
        self.filter.setSourceModel(self.pictures)
        self.topics = TopicsModel({}, self)

        self.topic_view = QListView()
        self.topic_view.setModel(self.topics)
        self.topic_view.setAccessibleName("Topics")
        self.topic_view.setMaximumWidth(250)
        self.topic_view.setIconSize(QSize(TOPIC_ICON_SIZE, TOPIC_ICON_SIZE))
        self.topic_view.setSpacing(1)
        topic_label = QLabel("&Topics")
        topic_label.setBuddy(self.topic_view)

        self.grid = QListView()
        self.grid.setModel(self.filter)
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        # Room for two lines of name under each picture ("A mobile phone").
        self.grid.setGridSize(QSize(ICON_SIZE + 52, ICON_SIZE + 52))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setSpacing(4)
        self.grid.setWordWrap(True)
        self.grid.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setAccessibleName("Pictures")
        self.grid_label = grid_label = QLabel("&Pictures")
        grid_label.setBuddy(self.grid)
        self.empty_label = QLabel("No pictures match that word. Try another word, or choose "
                                  "All pictures on the left.")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        self.chosen_label = QLabel()
        self.chosen_label.setAccessibleName("Chosen picture")

        self.add_button = QPushButton("&Add picture…")
        self.add_button.setToolTip("Add a picture of your own (PNG, SVG or JPEG), such as your "
                                   "photo or icons from a speech and language therapist. It is "
                                   "kept in your encrypted caseload.")
        self.none_button = QPushButton("&No picture")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Use this picture")

        left = QVBoxLayout()
        left.addWidget(topic_label)
        left.addWidget(self.topic_view, 1)
        left.addWidget(self.add_button)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        right = QVBoxLayout()
        right.addLayout(search_row)
        right.addWidget(grid_label)
        right.addWidget(self.grid, 1)
        right.addWidget(self.empty_label)
        right.addWidget(self.chosen_label)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.none_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.resize(900, 620)

        self.search_edit.textChanged.connect(self._search)
        self.topic_view.selectionModel().currentChanged.connect(self._topic_changed)
        self.grid.selectionModel().currentChanged.connect(self._picture_changed)
        self.grid.activated.connect(lambda _index: self.accept())
        self.add_button.clicked.connect(self.add_own_picture)
        self.none_button.clicked.connect(self._choose_none)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search_edit.setFocus)

        self._load()
        self.topic_view.setCurrentIndex(self.topics.index(0))
        self.select(current)
        self.search_edit.setFocus()

    # -- the static entry point --------------------------------------------------------------
    @staticmethod
    def choose(parent: QWidget | None, store, current: str = "") -> tuple[str, bool]:  # type: ignore[no-untyped-def]
        """The chosen picture reference ("" for no picture) and whether the IRO chose one."""
        dialog = PicturePicker(store, current, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.chosen() if accepted else current), accepted
        finally:
            dialog.deleteLater()

    def chosen(self) -> str:
        return self._chosen

    def select(self, ref: str) -> bool:
        """Make `ref` the current picture in the grid (switching to All pictures if hidden)."""
        row = self.pictures.row_of(ref) if ref else -1
        if row < 0:
            self._update_chosen_label()
            return False
        index = self.filter.mapFromSource(self.pictures.index(row))
        if not index.isValid():
            self.topic_view.setCurrentIndex(self.topics.index(0))
            index = self.filter.mapFromSource(self.pictures.index(row))
        if not index.isValid():
            return False
        self.grid.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.grid.scrollTo(index)
        return True

    # -- the IRO's own pictures -------------------------------------------------------------
    def add_own_picture(self) -> str | None:
        """Ask for a PNG, SVG or JPEG file and a name; store it encrypted; select it."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        path, _ = QFileDialog.getOpenFileName(self, "Add a picture of your own", folder,
                                              "Pictures (*.png *.svg *.jpg *.jpeg)")
        if not path:
            return None
        file = Path(path)
        mime = _MIME_BY_SUFFIX.get(file.suffix.lower(), "")
        name, ok = QInputDialog.getText(self, "Name the picture",
                                        "A name to find it by (children do not see it):",
                                        QLineEdit.EchoMode.Normal, file.stem)
        if not ok:
            return None
        try:
            content = file.read_bytes()
            with self._store.transaction() as session:
                picture_id = pictures.add_picture(session, name.strip(), content, mime)
        except ValidationError as error:
            QMessageBox.warning(self, "The picture was not added", str(error))
            return None
        except OSError as error:
            log.warning("could not read a picture file (%s)", type(error).__name__)
            QMessageBox.warning(self, "The picture was not added",
                                "That file could not be read. Check it is a picture file.")
            return None
        ref = f"{pictures.OWN_PREFIX}{picture_id}"
        log.info("own picture added (id %d)", picture_id)
        self._load()
        self.topic_view.setCurrentIndex(self.topics.index(self.topics.row_of(OWN_TOPIC)))
        self.search_edit.clear()
        self.select(ref)
        return ref

    # -- internals --------------------------------------------------------------------------
    def _load(self) -> None:
        with self._store.session() as session:
            items = pictures.all_pictures(session)
        self.pictures.set_pictures(items)
        current = self.topic_view.currentIndex()
        icons = {topic: self._icons.icon(ref, TOPIC_ICON_SIZE)
                 for topic, ref in self.pictures.first_of_each_topic().items()}
        self.topics.set_counts(self.pictures.counts(), icons)
        if current.isValid():
            self.topic_view.setCurrentIndex(self.topics.index(current.row()))

    def _search(self, text: str) -> None:
        query = text.strip()
        if not query:
            self.filter.set_matches(None)
        else:
            with self._store.session() as session:
                found = pictures.search(query, session)
            self.filter.set_matches([item.ref for item in found])
        self._after_filter()

    def _topic_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.filter.set_topic(self.topics.topic(current.row()) if current.isValid() else ALL_TOPICS)
        self._after_filter()

    def _after_filter(self) -> None:
        shown = self.filter.rowCount()
        self.empty_label.setVisible(shown == 0)
        query = self.search_edit.text().strip()
        self.grid_label.setText(f"&Pictures: {shown} for “{query}”" if query else "&Pictures")
        if not self.grid.currentIndex().isValid() and self.filter.rowCount():
            chosen_row = self.pictures.row_of(self._chosen)
            if chosen_row >= 0 and self.filter.mapFromSource(
                    self.pictures.index(chosen_row)).isValid():
                self.select(self._chosen)

    def _picture_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._chosen = str(current.data(REF_ROLE))
        self._update_chosen_label()

    def _update_chosen_label(self) -> None:
        row = self.pictures.row_of(self._chosen) if self._chosen else -1
        name = self.pictures.picture(row).name if row >= 0 else ""
        self.chosen_label.setText(f"Chosen: {name}" if name else "No picture chosen")

    def _choose_none(self) -> None:
        self._chosen = ""
        self.accept()
