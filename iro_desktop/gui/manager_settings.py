"""The manager's window's own settings (the last service database, the service's name), and
the database URL as remembered and as shown: never with a password in it."""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTINGS_DB = "manager/last_database"
SETTINGS_SERVICE = "manager/service_name"


def manager_settings() -> QSettings:
    """The manager window's own settings file (the last database, the service's name): apart
    from the main window's, found afresh so it follows XDG_CONFIG_HOME."""
    from iro_desktop.paths import config_dir

    return QSettings(str(config_dir() / "manager.ini"), QSettings.Format.IniFormat)


def remembered_url(url: str) -> str:
    """The URL to reopen next time, never with a password in it (the manager types it again)."""
    from sqlalchemy.engine import URL, make_url

    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    try:
        u = make_url(url)
        return URL.create(u.drivername, u.username, None, u.host, u.port, u.database,
                          u.query).render_as_string(hide_password=False)
    except Exception:
        return ""


def display_url(url: str) -> str:
    """The database's URL without a password, for the title and status line."""
    from sqlalchemy.engine import make_url

    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


__all__ = ["SETTINGS_DB", "SETTINGS_SERVICE", "display_url", "manager_settings",
           "remembered_url"]
