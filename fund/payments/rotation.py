"""Re-encrypting every encrypted value with the first configured key, for a key rotation.

The values are read and written as the raw ciphertext (not through EncryptedText), so each is
decrypted with whichever listed key wrote it and re-encrypted with the first one. Rows are
handled in batches; a run that stops half-way is simply run again.
"""

from __future__ import annotations

from sqlalchemy import Integer, Text, column, select, table, update

from fund import encryption
from fund.extensions import db

# Every encrypted column, by table. A new EncryptedText column is added here too.
ENCRYPTED = {
    "bank_details": ("account_holder", "bank_name", "account_number", "swift_bic"),
    "payments": ("paid_to_holder", "paid_to_bank", "paid_to_account", "paid_to_bic"),
}
BATCH = 500


def rotate_all() -> int:
    """Re-encrypt every stored value with the first key; returns how many were rewritten. The
    caller commits."""
    rewritten = 0
    for table_name, names in ENCRYPTED.items():
        raw = table(table_name, column("id", Integer), *(column(name, Text) for name in names))
        last_id = 0
        while True:
            rows = db.session.execute(
                select(raw).where(raw.c.id > last_id).order_by(raw.c.id).limit(BATCH)
            ).all()
            if not rows:
                break
            for row in rows:
                values = {
                    name: encryption.rotate(getattr(row, name))
                    for name in names
                    if getattr(row, name) is not None
                }
                db.session.execute(update(raw).where(raw.c.id == row.id).values(**values))
                rewritten += len(values)
            last_id = rows[-1].id
    db.session.flush()
    return rewritten
