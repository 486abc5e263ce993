"""The app compiles its translation catalogues when it starts, so pages are translated on an
install that has only the .po files (the .mo files are not in the repository)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from fund import catalogues, create_app
from fund.extensions import db
from tests.conftest import test_settings as settings_for

SHIPPED = Path(catalogues.__file__).parent / "translations"
LOG = logging.getLogger("test")
PHRASE = "Calls for proposals"


def french(phrase: str) -> str:
    with (SHIPPED / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle).get(phrase).string


def translated(folder: Path, phrase: str = PHRASE) -> str:
    return Translations.load(str(folder), ["fr"], "messages").gettext(phrase)


@pytest.fixture
def source(tmp_path) -> Path:
    """A translations folder holding the .po files only, as a fresh clone has it."""
    folder = tmp_path / "translations"
    for po in SHIPPED.glob("*/LC_MESSAGES/messages.po"):
        target = folder / po.relative_to(SHIPPED)
        target.parent.mkdir(parents=True)
        shutil.copy2(po, target)
    return folder


@pytest.fixture
def app_with(app, tmp_dir):
    """Apps on the test database (migrated by `app`), each with its own translations folder."""
    made = []

    def make(folder: Path):
        other = create_app(settings_for(tmp_dir, BABEL_TRANSLATION_DIRECTORIES=str(folder)))
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            for engine in db.engines.values():
                engine.dispose()


def test_an_install_without_compiled_catalogues_serves_french_pages(app_with, source):
    app = app_with(source)
    page = app.test_client().get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert french(PHRASE) in page and PHRASE not in page
    assert (source / "fr" / "LC_MESSAGES" / "messages.mo").is_file()


def test_a_catalogue_older_than_its_po_is_compiled_again(source):
    mo = source / "fr" / "LC_MESSAGES" / "messages.mo"
    mo.write_bytes(b"")  # an old, empty catalogue
    past = (source / "fr" / "LC_MESSAGES" / "messages.po").stat().st_mtime - 60
    os.utime(mo, (past, past))
    assert catalogues.compile_catalogues(source, [], LOG) == source
    assert translated(source) == french(PHRASE)


def test_an_up_to_date_catalogue_is_left_alone(source):
    catalogues.compile_catalogues(source, [], LOG)
    mo = source / "fr" / "LC_MESSAGES" / "messages.mo"
    before = mo.stat()
    catalogues.compile_catalogues(source, [], LOG)
    assert (mo.stat().st_ino, mo.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.fixture
def read_only(monkeypatch):
    """Folders that cannot be written to, whoever runs the tests (root ignores file modes)."""
    folders: list[Path] = []
    mkstemp = tempfile.mkstemp

    def refusing(*args, dir=None, **kwargs):
        if dir is not None and any(Path(dir).is_relative_to(f) for f in folders):
            raise PermissionError(13, "Read-only file system", dir)
        return mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refusing)
    return folders


def test_a_read_only_install_compiles_into_the_instance_folder(source, tmp_path, read_only):
    read_only.append(source)
    instance = tmp_path / "instance" / "translations"
    assert catalogues.compile_catalogues(source, [instance], LOG) == instance
    assert translated(instance) == french(PHRASE)
    assert not list(source.glob("*/LC_MESSAGES/*.mo"))


def test_with_no_writable_folder_at_all_a_temporary_one_is_used(source, tmp_path, read_only):
    instance = tmp_path / "instance" / "translations"
    read_only.extend([source, instance])
    used = catalogues.compile_catalogues(source, catalogues._fallbacks(instance), LOG)
    try:
        assert used not in (source, instance)
        assert translated(used) == french(PHRASE)
    finally:
        shutil.rmtree(used)


def test_workers_starting_together_all_get_whole_catalogues(source):
    """Several processes compiling at once: every one ends with complete files, none left over."""
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[Path] = []

    def start():
        barrier.wait()
        results.append(catalogues.compile_catalogues(source, [], LOG))

    threads = [threading.Thread(target=start) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results == [source] * workers
    assert translated(source) == french(PHRASE)
    assert not [p for p in source.rglob("*") if p.name.endswith(".tmp")]
