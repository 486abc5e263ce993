"""The import layers of DESIGN.md, section 4: areas stand above the workflow, the permissions,
the notifications and the small helpers, which stand above the rules, the forms machinery, the
models and the extensions. A shared module never imports an area.

Every module under fund/ is parsed with `ast`, and every import counts: at the top, inside a
function (a lazy import is still a dependency), and under `if TYPE_CHECKING:` too. The latter is
deliberate: a type-only import of an area still couples the shared module to that area's
names, and needing one means the type belongs lower down (in the model or fund/rules/).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

FUND = Path(__file__).resolve().parent.parent / "fund"

# Packages under fund/ that are shared machinery below the areas. Every other package is an
# area, so a new package is treated as an area (the strict side) until it is listed here.
# fund/forms_def/ belongs here: it is the one renderer and validator of a call's forms, imported
# by the models, templating.py and many areas, and it imports no area itself.
SHARED_PACKAGES = frozenset({"models", "rules", "forms_def", "workflow", "permissions"})

# The single-file modules under fund/ that may import areas, because their job is to wire the
# areas into the application: __init__.py's create_app() registers every area's blueprint, and
# cli.py's `flask fund ...` commands run areas' services (the reminders, the demo's seeding).
WIRING_MODULES = frozenset({"__init__.py", "cli.py"})

# The bottom tier, below the workflow: it may not even import the middle tier.
BOTTOM_PACKAGES = frozenset({"models", "rules", "forms_def"})
BOTTOM_MODULES = frozenset({"extensions.py"})
MIDDLE_TIER = frozenset({"workflow", "permissions", "notifications"})


@dataclass(frozen=True)
class Breach:
    """One import that goes the wrong way."""

    path: str
    line: int
    imported: str
    statement: str

    def __str__(self) -> str:
        return f"fund/{self.path}:{self.line} imports {self.imported}: {self.statement}"


def packages() -> list[str]:
    """The names of the packages directly under fund/."""
    return sorted(init.parent.name for init in FUND.glob("*/__init__.py"))


def areas() -> list[str]:
    """The areas: every package under fund/ that is not shared machinery."""
    return [name for name in packages() if name not in SHARED_PACKAGES]


def has_views(package: str) -> bool:
    """Whether a package serves pages: a views module, or a module that makes a Blueprint."""
    folder = FUND / package
    if any(
        module.name == "views.py" or module.name.endswith("_views.py")
        for module in folder.glob("*.py")
    ):
        return True
    return any("Blueprint(" in module.read_text() for module in folder.glob("*.py"))


def module_name(path: Path) -> str:
    """The dotted name of a module file under fund/."""
    parts = list(path.relative_to(FUND.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, path: Path) -> list[tuple[int, str, str]]:
    """Every (line, module, statement) a source imports, anywhere in it, relative imports
    resolved; for `from a import b` both `a` and `a.b` are given, since `b` may be a module."""
    found: list[tuple[int, str, str]] = []
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, ast.unparse(node)) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base, ast.unparse(node)))
            found.extend(
                (node.lineno, f"{base}.{alias.name}", ast.unparse(node)) for alias in node.names
            )
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value, ast.unparse(node)))
    return found


def top_package(module: str) -> str | None:
    """The first name under fund. of a dotted module name, or None outside fund."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "fund" else None


def breaches(path: Path, source: str, forbidden: frozenset[str]) -> list[Breach]:
    """The imports in one module of anything under fund/<name> for a name in `forbidden`; one
    breach per import statement."""
    seen: dict[int, Breach] = {}
    for line, module, statement in imported_modules(source, path):
        if top_package(module) in forbidden and line not in seen:
            seen[line] = Breach(str(path.relative_to(FUND)), line, module, statement)
    return list(seen.values())


def lower_modules() -> list[Path]:
    """The modules that must not import an area: the shared packages' modules and the
    single-file modules under fund/ other than the wiring ones."""
    modules = [path for path in FUND.glob("*.py") if path.name not in WIRING_MODULES]
    for package in SHARED_PACKAGES:
        modules.extend((FUND / package).rglob("*.py"))
    return sorted(set(modules))


def bottom_modules() -> list[Path]:
    """The modules below the workflow, the permissions and the notifications."""
    modules = [FUND / name for name in BOTTOM_MODULES]
    for package in BOTTOM_PACKAGES:
        modules.extend((FUND / package).rglob("*.py"))
    return sorted(modules)


def test_the_areas_are_derived_from_the_tree():
    found = areas()
    # Spot-check the derivation against areas that exist today; a new package joins by itself.
    for area in ("auth", "calls", "proposals", "reviews", "decisions", "grants", "admin", "demo"):
        assert area in found
    for package in SHARED_PACKAGES:
        assert package not in found


def test_no_shared_package_serves_pages():
    # A package with views is an area whatever its name; listing one as shared would exempt it.
    assert [
        package for package in packages() if package in SHARED_PACKAGES and has_views(package)
    ] == []
    assert all(
        has_views(area) for area in areas() if area != "demo"
    )  # demo seeds, it serves nothing


def test_the_check_sees_every_kind_of_import(tmp_path):
    # The check must catch what it claims to: lazy, type-only, aliased and relative imports.
    path = FUND / "rules" / "example.py"
    source = (
        "from typing import TYPE_CHECKING\n"
        "from fund import proposals\n"
        "import fund.grants.reporting as rc\n"
        "if TYPE_CHECKING:\n"
        "    from fund.reviews.queries import queue\n"
        "def guard():\n"
        "    from ..decisions import ranking\n"
        "    from fund.models import Proposal\n"
        "    importlib.import_module('fund.bulk.views')\n"
    )
    found = [
        (breach.line, breach.imported) for breach in breaches(path, source, frozenset(areas()))
    ]
    assert found == [
        (2, "fund.proposals"),
        (3, "fund.grants.reporting"),
        (5, "fund.reviews.queries"),
        (7, "fund.decisions"),
        (9, "fund.bulk.views"),
    ]


def test_no_shared_module_imports_an_area():
    modules = lower_modules()
    assert len(modules) > 50  # the scan found the tree
    forbidden = frozenset(areas())
    found = [str(b) for path in modules for b in breaches(path, path.read_text(), forbidden)]
    assert found == [], "shared modules import areas (DESIGN.md, section 4):\n" + "\n".join(found)


def test_the_rules_forms_and_models_stand_below_the_workflow():
    modules = bottom_modules()
    assert len(modules) > 20
    found = [str(b) for path in modules for b in breaches(path, path.read_text(), MIDDLE_TIER)]
    assert found == [], "modules below the workflow import it:\n" + "\n".join(found)
