"""Two transactions recounting the same figures at once (PostgreSQL, real threads, one
connection each), for the tests of the write-time hooks (fund/write_hooks.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fund.extensions import db
from fund.write_hooks import Noted


def second_waits_for_first(
    app, noted: Noted, first: Callable[[], None], second: Callable[[], None]
) -> str | Exception:
    """Make the change `first` and recount as its commit would (`noted.before_commit`); while
    that transaction holds on before committing, make the change `second` and commit it in a
    thread with its own app context, hence its own session and connection. Asserts that the
    second waits its turn; commits the first; returns what became of the second: "committed",
    or the exception it raised."""
    results: dict = {}

    def run_second():
        with app.app_context():
            try:
                second()
                db.session.commit()  # recounts: waits for the first transaction
                results["second"] = "committed"
            except Exception as error:  # reported by the test, not lost in the thread
                results["second"] = error
            finally:
                db.session.remove()

    with app.app_context():
        first()
        db.session.flush()
        noted.before_commit(db.session)
        thread = threading.Thread(target=run_second)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # the second one waits its turn
        db.session.commit()
        db.session.remove()
    thread.join(timeout=15)
    return results.get("second", "did not finish")
