"""build.spec, read without building: what goes into the one-folder build and what stays out.

The spec is executed with stand-ins for PyInstaller's build steps (Analysis, PYZ, EXE, COLLECT),
so these tests take seconds; `make selftest` builds for real and runs the frozen self-test.
Without PyInstaller installed (it is the [build] extra), its hook helpers are stubbed and the
checks of third-party data are skipped.
"""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import iro_desktop

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"


class _Step:
    """Records the arguments of a PyInstaller build step; has an Analysis's lists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.binaries: list = []
        self.datas: list = []
        self.pure: list = []
        self.scripts: list = []


def _real_pyinstaller() -> bool:
    try:
        import PyInstaller.utils.hooks  # noqa: F401
    except ImportError:
        return False
    return True


REAL_PYINSTALLER = _real_pyinstaller()


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    saved = dict(sys.modules)
    if not REAL_PYINSTALLER:
        hooks = types.ModuleType("PyInstaller.utils.hooks")
        hooks.collect_data_files = lambda *a, **k: []  # type: ignore[attr-defined]
        hooks.collect_submodules = lambda *a, **k: []  # type: ignore[attr-defined]
        for name in ("PyInstaller", "PyInstaller.utils"):
            sys.modules[name] = types.ModuleType(name)
        sys.modules["PyInstaller.utils.hooks"] = hooks
    namespace: dict[str, Any] = {
        "SPECPATH": str(ROOT), "workpath": str(tmp_path_factory.mktemp("work")),
        "Analysis": _Step, "PYZ": _Step, "EXE": _Step, "COLLECT": _Step,
        "__file__": str(SPEC),
    }
    try:
        exec(compile(SPEC.read_text(), str(SPEC), "exec"), namespace)
    finally:
        for name in set(sys.modules) - set(saved):
            if name.startswith("PyInstaller") and not REAL_PYINSTALLER:
                del sys.modules[name]
    return namespace


def _datas(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return spec["a"].kwargs["datas"]


def _dest_files(spec: dict[str, Any]) -> set[str]:
    """Every bundled data file as its path inside the build."""
    return {f"{dest}/{Path(src).name}" for src, dest in _datas(spec)}


def test_the_version_has_one_source(spec: dict[str, Any]) -> None:
    assert spec["VERSION"] == iro_desktop.__version__


def test_only_the_pictograms_in_the_catalogue_with_their_licence(spec: dict[str, Any]) -> None:
    catalogue = json.loads((ROOT / "resources/pictograms/catalogue.json").read_text())
    wanted = {f"resources/pictograms/{p['file']}" for p in catalogue["pictures"]}
    shipped = {f for f in _dest_files(spec) if f.startswith("resources/pictograms/svg/")}
    assert shipped == wanted
    files = _dest_files(spec)
    assert "resources/pictograms/catalogue.json" in files
    assert "resources/pictograms/LICENSE-CC-BY-SA-4.0.txt" in files
    assert "resources/pictograms/make_catalogue.py" not in files  # a development script


def test_fonts_with_their_licence_and_the_icons(spec: dict[str, Any]) -> None:
    from iro_desktop.letters.pdf import FONT_FILES

    files = _dest_files(spec)
    for font in FONT_FILES.values():
        assert f"resources/fonts/{font}" in files
    assert "resources/fonts/OFL.txt" in files
    assert {"resources/icons/iro-desktop.png", "resources/icons/iro-desktop.ico"} <= files
    assert spec["exe"].kwargs["icon"].endswith("iro-desktop.ico")
    assert Path(spec["exe"].kwargs["icon"]).is_file()


def test_migrations_travel_as_files_where_package_path_looks(spec: dict[str, Any]) -> None:
    files = _dest_files(spec)
    assert "iro_desktop/db/migrations/env.py" in files
    assert "iro_desktop/db/migrations/script.py.mako" in files
    revisions = sorted((ROOT / "iro_desktop/db/migrations/versions").glob("*.py"))
    assert revisions
    for revision in revisions:
        assert f"iro_desktop/db/migrations/versions/{revision.name}" in files


def test_no_tests_development_files_or_bytecode(spec: dict[str, Any]) -> None:
    for src, _dest in _datas(spec):
        path = Path(src)
        assert path.suffix != ".pyc" and "__pycache__" not in path.parts, src
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            top = path.relative_to(ROOT).parts[0]
            assert top in {"resources", "iro_desktop"}, src
    excluded = set(spec["excludes"])
    assert {"pytest", "pytestqt", "hypothesis", "PyInstaller"} <= excluded


def test_every_module_of_the_app_is_collected(spec: dict[str, Any]) -> None:
    """Pages, tabs, actions and commands are imported by name: PyInstaller cannot see them."""
    if not REAL_PYINSTALLER:
        pytest.skip("PyInstaller (the [build] extra) is not installed")
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "iro_desktop").rglob("*.py")
        if "migrations" not in p.parts
    }
    missing = modules - set(spec["hiddenimports"])
    assert not missing


def test_excluded_qt_modules_are_never_imported_by_the_app(spec: dict[str, Any]) -> None:
    used = set()
    for path in (ROOT / "iro_desktop").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
        used |= {f"Qt{m}" for m in re.findall(r"from PySide6 import Qt(\w+)", path.read_text())}
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    excluded = {name.removeprefix("PySide6.") for name in spec["excludes"]
                if name.startswith("PySide6.Qt")}
    assert not used & excluded, f"excluded but imported: {sorted(used & excluded)}"
    assert {"QtQml", "QtQuick", "QtNetwork"} <= excluded


def test_the_gtk_theme_and_embedded_platforms_are_dropped(spec: dict[str, Any]) -> None:
    unwanted = spec["_unwanted"]
    plugins = "PySide6/Qt/plugins"
    for dropped in ("platformthemes/libqgtk3.so", "platforms/libqeglfs.so", "platforms/libqvnc.so",
                    "generic/libqtuiotouchplugin.so", "imageformats/libqwebp.so"):
        assert unwanted(f"{plugins}/{dropped}"), dropped
    for kept in ("platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
                 "platformthemes/libqxdgdesktopportal.so", "printsupport/libcupsprintersupport.so",
                 "imageformats/libqsvg.so", "imageformats/libqjpeg.so",
                 "iconengines/libqsvgicon.so",
                 "platforminputcontexts/libibusplatforminputcontextplugin.so"):
        assert not unwanted(f"{plugins}/{kept}"), kept
    assert unwanted("PySide6/Qt/translations/qtbase_de.qm")
    assert spec["_unwanted_data"]("pyphen/dictionaries/hyph_de_DE.dic")
    assert not spec["_unwanted_data"]("pyphen/dictionaries/hyph_en_GB.dic")


def test_libraries_only_a_dropped_plugin_needed_are_dropped_too(
    spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    needs = {
        "gtk3.so": {"libgtk-3.so.0", "libpango.so.1", "libglib-2.0.so.0"},
        "libQt6Gui.so.6": {"libglib-2.0.so.0", "libfreetype.so.6"},
        "libpango.so.1": {"libglib-2.0.so.0"},
    }
    monkeypatch.setitem(spec, "_needed_libraries",
                        lambda source: needs.get(Path(source).name, set()))
    binaries = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/gtk3.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY"),
        ("libpango.so.1", "/x/libpango.so.1", "BINARY"),
        ("libglib-2.0.so.0", "/x/libglib-2.0.so.0", "BINARY"),
        ("libfreetype.so.6", "/x/libfreetype.so.6", "BINARY"),
    ]
    kept = [dest for dest, _src, _kind in spec["_without"](binaries, spec["_unwanted"])]
    assert kept == ["PySide6/Qt/lib/libQt6Gui.so.6", "libglib-2.0.so.0", "libfreetype.so.6"]


def test_third_party_data_files_and_licences(spec: dict[str, Any]) -> None:
    if not REAL_PYINSTALLER:
        pytest.skip("PyInstaller (the [build] extra) is not installed")
    files = _dest_files(spec)
    assert "pyphen/dictionaries/hyph_en_GB.dic" in files
    assert "textstat/resources/en/easy_words.txt" in files
    assert "holidays/locale/en_GB/LC_MESSAGES/GB.mo" in files
    assert "reportlab/fonts/Vera.ttf" in files
    assert "holidays.countries.united_kingdom" in spec["hiddenimports"]
    assert "sqlcipher3.dbapi2" in spec["hiddenimports"]
    licences = {f for f in files if f.startswith("licences/")}
    for name in ("sqlcipher3", "reportlab", "SQLAlchemy", "holidays"):
        assert any(f.startswith(f"licences/{name}/") for f in licences), name
    assert "licences/Python/LICENSE.txt" in licences
