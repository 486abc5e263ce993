"""Compiled translation catalogues (.mo), made from the .po files when the app starts.

Only the .po files are in the repository. Without their .mo files every page stays in English,
and an install step that compiles them can be forgotten, so `create_app()` compiles whatever is
missing or older than its .po before Flask-Babel reads them. Each file is written under a
temporary name and renamed, so gunicorn workers starting together never read half a file (they
may all compile; the results are the same). If the install folder is read-only the catalogues go
to the instance folder, and failing that to a temporary folder of this process.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask


def prepare(app: Flask) -> None:
    """Point BABEL_TRANSLATION_DIRECTORIES at folders holding up-to-date .mo files."""
    folders = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations").split(";")
    ready = []
    for index, folder in enumerate(folders):
        source = Path(app.root_path, folder)  # an absolute folder stays as it is
        name = f"translations-{index}" if index else "translations"
        fallbacks = _fallbacks(Path(app.instance_path, name))
        ready.append(str(compile_catalogues(source, fallbacks, app.logger)))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(ready)


def _fallbacks(instance_folder: Path) -> Iterator[Path]:
    yield instance_folder
    yield Path(tempfile.mkdtemp(prefix="fund-translations-"))  # made only if it comes to that


def compile_catalogues(source: Path, fallbacks: Iterable[Path], logger) -> Path:
    """The first of `source` and `fallbacks` where every catalogue of `source` could be compiled
    (or already was); `source` itself if none could (its pages are then in English)."""
    po_files = sorted(source.glob("*/LC_MESSAGES/*.po"))
    for target in chain([source], fallbacks):
        try:
            for po in po_files:
                mo = target / po.relative_to(source).with_suffix(".mo")
                if is_stale(po, mo):
                    compile_one(po, mo)
        except OSError as error:
            logger.info("cannot write translations in %s (%s); trying elsewhere", target, error)
            continue
        return target
    logger.error("no folder can hold the compiled translations: pages will be in English")
    return source


def is_stale(po: Path, mo: Path) -> bool:
    """Whether `mo` is missing or older than the `po` it is made from."""
    try:
        return mo.stat().st_mtime < po.stat().st_mtime
    except FileNotFoundError:
        return True


def compile_one(po: Path, mo: Path) -> None:
    """Compile `po` into `mo`, atomically: readers see the old file or the whole new one."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name, domain=po.stem)
    mo.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=mo.parent, prefix=".", suffix=".mo.tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)  # as `pybabel compile` does
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the catalogue is not
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
