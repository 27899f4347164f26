"""Imports run downward, and no two files of coop/ import each other, directly or in a circle.

Every module under coop/ is parsed with `ast`; every import counts, at module level and inside
functions alike (a function-local import that closes a circle is still a circle: it only
fails later). `from package import name` counts as importing `package.name` when that is a
module, else `package`; a package's own `__init__` is not counted for its submodules (Python
runs it first anyway). Imports built at run time (`importlib.import_module(f"coop.{x}.…")` in
create_app and the demo) are not seen; they live in the top layer, which may import anything.

The layers, lowest first. A package may import itself and any package in a lower layer, never
one in its own layer or above:

0. `config`, `extensions` — settings and the Flask extensions; they import nothing of coop.
1. `core` — villages, people and roles, the guard, the outbox table and the calls it leaves,
   the registry, the state machine (`states`). Imports no feature.
2. `ops` — running in production (health, logs, backups), where present: core only.
3. `followups`, `geo` — generic machinery: the dispatcher, the scheduler, the answer links, the
   follow-up durations; maps, distances and geocoding. They import core (and ops) only;
   features register their rules and messages with core and use this machinery.
4. `people`, `admin`, `calllist`, `members` — profiles, competences, hours entries; the
   administrator's pages; the coordinator's bellijst (its tasks are written by the outbox in
   core); member households, their contribution and the message to a group.
5. `auth`, `requests` — logging in (uses people); the hulpvraag (uses people).
6. `matching`, `agreements`, `villages`, `circles`, `aids`, `activities` — proposals and ranking
   (requests, people, geo); the gemeente agreements (their parties are the request's role-split
   parties); the platform's new villages and their first coordinator (auth, people), where
   present; the phone circles; lending aids (a reservation comes from a request's Schijf van
   Vijf); activities and their sign-ups (a lift to one is a hulpvraag: requests).
7. `respite` — shifts (booked through matching's candidates), hours of requests and shifts.
8. `reports`, `privacy` — the gemeente's figures over requests, respite and people; a person's
   copy, erasure and retention over every feature.
9. the application: `coop/__init__.py` (create_app), `coop/cli.py`, `coop/wsgi.py`, `coop/demo/`.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import coop

LAYERS = (
    ("config", "extensions"),
    ("core",),
    ("ops",),
    ("followups", "geo"),
    ("people", "calllist", "members"),
    ("auth", "requests", "admin"),  # the admin's audit search finds people by name
    ("matching", "agreements", "villages", "circles", "aids", "activities"),
    ("respite",),
    ("reports", "privacy"),  # privacy reads every feature to copy or forget a person
    ("app",),
)
LAYER_OF = {package: n for n, packages in enumerate(LAYERS) for package in packages}
APP = {"coop", "coop.cli", "coop.wsgi", "coop.demo"}
ROOT = Path(coop.__file__).resolve().parent


def module_files(root: Path) -> dict[str, Path]:
    """`coop.x.y` -> its file, for every module under `root` (a package directory)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _nearest(name: str, modules) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules) -> set[str]:
    """The modules of `modules` that `name` imports anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = next(iter(modules)).split(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            if target == top or target.startswith(top + "."):
                resolved = _nearest(target, modules)
                if resolved and resolved != name:
                    found.add(resolved)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = module_files(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One concrete circle (a -> b -> … -> a) for every group of modules that import each
    other (Tarjan's strongly connected components, iteratively)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
    return [_circle(graph, group) for group in groups]


def _circle(graph, group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    first = min(group)
    paths = {first: [first]}
    queue = [first]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == first:
                return paths[node] + [first]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    raise AssertionError(f"no circle in {sorted(group)}")


def package_of(module: str) -> str:
    if module in APP or module.startswith("coop.demo."):
        return "app"
    return module.split(".")[1]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a package in the same or a higher layer, as 'a imports b (layer …)'."""
    wrong = []
    for module, targets in sorted(graph.items()):
        mine = package_of(module)
        for target in sorted(targets):
            theirs = package_of(target)
            if theirs != mine and LAYER_OF[theirs] >= LAYER_OF[mine]:
                wrong.append(f"{module} ({mine}, layer {LAYER_OF[mine]}) imports {target} "
                             f"({theirs}, layer {LAYER_OF[theirs]})")
    return wrong


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


# --- the rules, on coop/ ------------------------------------------------------------------------

def test_no_import_cycle_between_files(graph):
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(circle) for circle in found)


def test_every_package_has_a_layer(graph):
    found = {package_of(m) for m in graph}
    assert found - set(LAYER_OF) == set(), "add the new package to LAYERS"
    assert {"core", "followups", "requests", "respite", "app"} <= found


def test_imports_run_downward(graph):
    wrong = upward_imports(graph)
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package,may_import", [
    ("core", {"core", "config", "extensions"}),
    ("followups", {"followups", "core", "ops", "config", "extensions"}),
])
def test_core_and_followups_import_no_feature(graph, package, may_import):
    wrong = sorted(f"{m} imports {t}" for m, targets in graph.items() if package_of(m) == package
                   for t in targets if package_of(t) not in may_import)
    assert not wrong, f"coop/{package} imports a feature above it:\n" + "\n".join(wrong)


FEATURE_RULES = {"ask_if_helped", "escalate_unmatched", "carerqol_checkins", "respite_shift_hours",
                 "agreement_reviews", "weekly_digest", "dead_mail_alert", "unconfirmed_rounds",
                 "aid_loan_reminders", "activity_reminders"}
FEATURE_KINDS = {"request.ask_helped", "request.escalation", "request.not_helped", "carer.checkin",
                 "agreement.review", "digest.weekly", "followups.dead", "proposal.new", "request.matched",
                 "shift.booked", "shift.reminder", "contact.phone_needed", "circle.key_holder_alert",
                 "circle.no_answer", "circle.round_late", "activity.reminder",
                 "activity.moved_up"}
WITHOUT_VIEWS = """
import json, sys
import coop
coop._register_blueprints = lambda app: None  # wire in no blueprint: no views module is imported
coop.create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "layers", "TESTING": True})
from coop.core import outbox, registry
print(json.dumps({"rules": [r.__name__ for r in registry.periodic_rules()],
                  "daily": [j.__name__ for j in registry.daily_jobs()],
                  "kinds": sorted(outbox._builders),
                  "sections": len(registry._sections),
                  "views": sorted(m for m in sys.modules if m.startswith("coop.") and ".views" in m)}))
"""


def test_create_app_loads_the_rules_and_messages_without_any_views():
    """What the scheduler needs is registered by create_app itself (a scheduler opens no page)."""
    import json
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", WITHOUT_VIEWS], cwd=ROOT.parent, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["views"] == []
    assert set(found["rules"]) == FEATURE_RULES
    assert set(found["daily"]) == {"anonymise_closed_requests", "forget_old_records", "forget_old_tokens",
                                  "apply_retention_periods"}
    assert set(found["kinds"]) >= FEATURE_KINDS
    assert found["sections"] == 2  # waiting requests, open respite shifts


def test_no_views_module_imports_rules_or_messages():
    modules = module_files(ROOT)
    for views in sorted(ROOT.glob("*/views*.py")):
        imported = imports_of(f"coop.{views.parent.name}.{views.stem}", views, modules)
        loaded_here = sorted(m for m in imported if m.rsplit(".", 1)[-1] in ("rules", "messages", "digest"))
        assert not loaded_here, f"{views.relative_to(ROOT)} imports {loaded_here}"


# --- the checker itself, on a made-up package -----------------------------------------------------

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "coop"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_sees_a_circle_closed_by_a_function_local_import(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "core/__init__.py": "",
        "followups/__init__.py": "",
        "followups/rules.py": "def rule():\n    from coop.respite.hours import record\n    return record\n",
        "respite/__init__.py": "",
        "respite/hours.py": "from coop.respite import digest\n",
        "respite/digest.py": "from ..followups.rules import rule\n",
    })
    graph = import_graph(root)
    assert graph["coop.followups.rules"] == {"coop.respite.hours"}
    assert graph["coop.respite.digest"] == {"coop.followups.rules"}  # relative import resolved
    assert cycles(graph) == [["coop.followups.rules", "coop.respite.hours", "coop.respite.digest",
                              "coop.followups.rules"]]
    assert upward_imports(graph) == [
        "coop.followups.rules (followups, layer 3) imports coop.respite.hours (respite, layer 7)"]


def test_the_checker_passes_a_package_whose_imports_run_downward(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from coop import cli\n",
        "cli.py": "import coop.requests.service\n",
        "core/__init__.py": "",
        "core/registry.py": "RULES = []\n",
        "requests/__init__.py": "",
        "requests/service.py": "from coop.core import registry\nfrom coop.core.registry import RULES\n",
    })
    graph = import_graph(root)
    assert graph["coop.requests.service"] == {"coop.core.registry"}
    assert cycles(graph) == [] and upward_imports(graph) == []
