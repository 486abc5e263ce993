"""Helpers for the organisation tests: a valid form, small real files, the upload folder."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

# A minimal but real PDF (header, one empty page, trailer).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def organisation_form(**overrides) -> dict:
    """Form data for a valid organisation; keyword arguments replace or add fields."""
    data = {
        "name": "Safe Childhoods Uganda",
        "country_code": "UG",
        "org_type": "ngo",
        "budget_band": "under_50k",
        "registration_scheme": "UG-NGB",
        "registration_number": "INDR-12345",
        "website": "https://safechildhoods.example.org",
        "safeguarding_focal_point": "Grace Namubiru, programme manager",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def upload(data: bytes, filename: str) -> tuple[BytesIO, str]:
    """A file field value for the test client."""
    return BytesIO(data), filename


@pytest.fixture
def upload_dir(app) -> Path:
    """The upload folder, emptied before the test so it sees only its own files."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        path.unlink()
    return folder
