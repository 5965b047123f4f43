"""Noticing that the guides folder changed, without looking at it on every request.

A `FolderWatch` counts the changes under a folder, sub-folders included, from a
background thread: through the operating system's file notifications (inotify on Linux,
via `watchdog`) when they are available, else by scanning the folder every few seconds in
that thread (too many folders watched, a network file system). Readers compare the count
with the one they last acted on: one integer, no file system access.

A watch belongs to the process that started it: threads do not survive a fork, so a
forked server worker starts its own (`FolderWatch.alive` tells).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger(__name__)

# What changes a guide: written (closed after writing, or modified in place), created,
# deleted, renamed; and folders appearing, going or moving with guides inside. Opening
# and reading files (the indexer does) is not a change.
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
# Editors' swap, backup and temporary files; hidden folders (`.git`).
IGNORED_PREFIX = "."
IGNORED_SUFFIXES = ("~", ".swp", ".tmp")


class _Counter(FileSystemEventHandler):
    """Counts the events that may change a guide."""

    def __init__(self, watch: FolderWatch):
        self.watch = watch

    def on_any_event(self, event: FileSystemEvent) -> None:
        # Guides, and the files beside them that change them (a folder's category file),
        # count; an editor's scratch files and anything under a hidden folder do not.
        paths = [os.fsdecode(p) for p in (event.src_path, event.dest_path) if p]
        if any(_counts(Path(p).relative_to(self.watch.folder)) for p in paths
               if Path(p).is_relative_to(self.watch.folder)):
            self.watch.changed()


def _counts(relative: Path) -> bool:
    name = relative.name
    return (bool(name) and not any(part.startswith(IGNORED_PREFIX) for part in relative.parts)
            and not name.endswith(IGNORED_SUFFIXES))


class FolderWatch:
    """Counts changes under `folder` from a background thread (see the module)."""

    def __init__(self, folder: Path, poll_seconds: float = 2.0, notifications: bool = True):
        self.folder = folder
        self.poll_seconds = poll_seconds
        self.notifications = notifications
        self.generation = 0
        self.mode = "stopped"
        self.pid = os.getpid()
        self._observer: BaseObserver | None = None
        self._lock = threading.Lock()

    def changed(self) -> None:
        with self._lock:
            self.generation += 1

    @property
    def alive(self) -> bool:
        """Whether this watch is running in this process (false in a forked child)."""
        return self._observer is not None and self.pid == os.getpid()

    def start(self) -> FolderWatch:
        """Start watching; notifications first, the periodic scan when they fail.
        Raises OSError when the folder cannot be watched at all (it does not exist)."""
        self.pid = os.getpid()
        if not self.folder.is_dir():
            raise FileNotFoundError(f"no folder {self.folder} to watch")
        if self.notifications:
            try:
                self._observer = self._start(Observer())
                self.mode = "notifications"
                return self
            except OSError as exc:  # inotify limits reached, unsupported file system
                log.warning("watching %s by scanning it every %.0f s: file notifications "
                            "are unavailable (%s)", self.folder, self.poll_seconds, exc)
        self._observer = self._start(PollingObserver(timeout=self.poll_seconds))
        self.mode = "polling"
        return self

    def _start(self, observer: BaseObserver) -> BaseObserver:
        observer.daemon = True
        observer.schedule(_Counter(self), str(self.folder), recursive=True,
                          event_filter=EVENTS)
        observer.start()
        return observer

    def stop(self) -> None:
        """Stop the thread (only in the process that started it: a forked child has no
        thread to stop)."""
        observer, self._observer = self._observer, None
        if observer is not None and self.pid == os.getpid():
            observer.stop()
            observer.join(timeout=5)
        self.mode = "stopped"
