"""The 360Giving Data Standard's schemas (1.4.3), shipped in fund/data/360giving/, and checking
a package against them without the network.

The package schema refers to the grant schema by URL (that of release 1.4.2, while the grant
schema names itself by its 1.4.3 URL); both URLs resolve here to the shipped file.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "360giving"
PACKAGE_SCHEMA = SCHEMA_DIR / "360-giving-package-schema.json"
GRANT_SCHEMA = SCHEMA_DIR / "360-giving-schema.json"
VERSION = "1.4"  # major.minor, as the package's "version" is written


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def validator() -> Draft202012Validator:
    """A validator of the package schema whose references never leave this machine."""
    package, grant = _load(PACKAGE_SCHEMA), _load(GRANT_SCHEMA)
    # The files say "http://json-schema.org/draft/2020-12/schema", a spelling of the dialect
    # that `referencing` does not detect: name the dialect instead.
    grant_resource = DRAFT202012.create_resource(grant)
    referred = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources(
        [(grant["$id"], grant_resource), (referred, grant_resource)]
    )
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def errors(package: dict[str, Any]) -> list[str]:
    """What in `package` breaks the schema, as "where: why" lines (none for a valid package)."""
    found = sorted(validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or 'package'}: {e.message}" for e in found]
