"""The direction of the arrows (see docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest


def modules_loaded_by(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, encoding="utf-8").stdout
    return set(out.split())


def test_the_plan_imports_no_http_and_no_command_line() -> None:
    loaded = modules_loaded_by("reconciler.plan")
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "click", "tenacity")}
    assert "reconciler.remote" in loaded  # the values it plans from
    assert "reconciler.client" not in loaded


def test_the_channels_are_pure_and_know_nothing_of_definitions() -> None:
    folder = Path(__file__).parent.parent / "reconciler" / "channels"
    loaded = modules_loaded_by(", ".join(f"reconciler.channels.{p.stem}"
                                         for p in folder.glob("*.py")))
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "click", "yaml", "socket")}
    assert {m for m in loaded if m.startswith("reconciler.")
            and not m.startswith("reconciler.channels")} == set()
    for path in folder.glob("*.py"):
        calls = {node.func.id for node in ast.walk(ast.parse(path.read_text("utf-8")))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert not calls & {"open", "print", "input"}, path.name


def test_the_client_knows_nothing_of_yaml_or_state() -> None:
    loaded = modules_loaded_by("reconciler.client")
    assert not {m for m in loaded if m.split(".")[0] == "yaml"}
    assert not {"reconciler.state", "reconciler.definitions", "reconciler.plan"} & loaded


@pytest.mark.parametrize("module", ["reconciler.ci.forge", "reconciler.ci.commit",
                                    "reconciler.workflow.ci"])
def test_the_ci_glue_masks_with_the_shared_secret_type_and_loads_no_client(module: str) -> None:
    loaded = modules_loaded_by(module)
    assert "reconciler.secret" in loaded
    assert not {m for m in loaded if m.startswith("reconciler.client")}


def test_the_secret_type_depends_on_nothing_of_the_package() -> None:
    loaded = modules_loaded_by("reconciler.secret")
    assert {m for m in loaded if m.startswith("reconciler.")} == {"reconciler.secret"}


@pytest.mark.parametrize("module", ["reconciler.sandbox.app", "reconciler.sandbox.server",
                                    "reconciler.sandbox.transport"])
def test_the_sandbox_shares_no_code_with_the_client(module: str) -> None:
    loaded = modules_loaded_by(module)
    assert not {"reconciler.client", "reconciler.remote"} & loaded


def test_nothing_imports_fcntl_and_only_the_lock_module_imports_portalocker() -> None:
    from conftest import ROOT

    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "reconciler").rglob("*.py")}
    assert not [p for p, text in sources.items() if "import fcntl" in text]
    lockers = {p.relative_to(ROOT).as_posix() for p, text in sources.items()
               if "import portalocker" in text}
    assert lockers == {"reconciler/state/lock.py"}


def test_validate_and_plan_load_no_lock_and_run_without_fcntl() -> None:
    from conftest import EXAMPLES

    code = ("import sys; sys.modules['fcntl'] = None\n"  # as on Windows: no fcntl at all
            "from reconciler.cli import main\n"
            f"main(['validate', {str(EXAMPLES)!r}])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"GITHUB_ACTIONS": "", "PATH": ""}, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert "6 campaigns in 4 files: 0 errors" in proc.stdout
    for command in ("validate", "plan"):
        code = ("import sys; from reconciler.cli.group import cli\n"
                f"cli.get_command(None, {command!r})\n"
                "print('\\n'.join(sys.modules))")
        loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, check=True, encoding="utf-8").stdout.split())
        # (The standard library may load fcntl itself on POSIX; the check above shows
        # that nothing of ours needs it.)
        assert not {"portalocker", "reconciler.state.lock"} & loaded, command


def test_command_modules_import_only_the_workflow_the_renderers_and_their_options() -> None:
    import ast

    from conftest import ROOT

    allowed = ("reconciler.cli", "reconciler.workflow", "reconciler.render", "reconciler.errors",
               "reconciler.plural")
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "reconciler" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] if node.module != "reconciler" else \
                    [f"reconciler.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] == "reconciler":
                    found.setdefault(name, set()).add(path.name)
    assert "reconciler.workflow.apply" in found  # the walk sees what it should
    outside = {name: files for name, files in found.items()
               if not name.startswith(allowed) and name != "reconciler.__version__"}
    assert outside == {}


def test_validate_loads_no_http_client() -> None:
    code = ("import sys; from reconciler.cli.group import cli\n"
            "cli.get_command(None, 'validate')\n"
            "print('\\n'.join(sys.modules))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, encoding="utf-8").stdout.split())
    assert "reconciler.workflow.validate" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "tenacity", "jsonschema")}


def test_validate_loads_no_state_and_no_emoji_table_it_does_not_need(tmp_path) -> None:
    """`validate` (the pre-commit hook, on every commit) reads no state, so it loads none of
    its code; the emoji table (30 ms) loads only for a Slack message with a `:shortcode:`."""
    plain = tmp_path / "plain.yaml"
    code = ("import sys; from reconciler.cli import main\n"
            "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('\\n'.join(sys.modules), file=sys.stderr)")

    def loaded(text: str) -> set[str]:
        plain.write_text(text, encoding="utf-8")
        proc = subprocess.run([sys.executable, "-c", code, str(plain)], capture_output=True,
                              text=True, encoding="utf-8")
        assert "1 campaign in 1 file: 0 errors" in proc.stdout, proc.stdout + proc.stderr
        return set(proc.stderr.split())

    body = "name: A\nchannel: slack\ncontact_list_id: lst_a\nsender_id: C01\nbody: \"{}\"\n"
    quiet = loaded(body.format("Launch at noon"))
    assert "reconciler.workflow.validate" in quiet
    assert not {m for m in quiet if under(m, ("reconciler.state", "emoji"))}
    assert "emoji" in loaded(body.format("Launch at noon :tada:"))


def test_status_and_the_state_commands_load_no_yaml_reader_nor_checks(tmp_path) -> None:
    """Without a configuration file, reading the settings and a state loads neither the
    YAML reader nor the definitions and their checks: `status` and `state` need neither."""
    state = tmp_path / "campaigns.state.json"
    state.write_text('{"version": 1, "lineage": "l", "serial": 1, "api_url": "sandbox", '
                     '"campaigns": {}}', encoding="utf-8")
    code = ("import sys; from reconciler.cli.group import cli\n"
            "cli.get_command(None, 'status'); cli.get_command(None, 'state')\n"
            "from reconciler.workflow.inputs import load_settings\n"
            "from reconciler.state import load\n"
            "load_settings(); load(__import__('pathlib').Path(sys.argv[1]), 'sandbox')\n"
            "print('\\n'.join(sys.modules))")
    loaded = set(subprocess.run([sys.executable, "-c", code, str(state)], capture_output=True,
                                text=True, check=True, cwd=tmp_path,
                                encoding="utf-8").stdout.split())
    assert "reconciler.workflow.status" in loaded and "reconciler.config" in loaded
    assert "reconciler.checks.config" in loaded  # the checks' settings, not the checks
    assert not {m for m in loaded if m == "yaml" or m.startswith("reconciler.definitions")}
    assert {m for m in loaded if m.startswith("reconciler.checks")} == {
        "reconciler.checks", "reconciler.checks.config"}


def test_the_package_uses_only_the_public_names_of_its_libraries() -> None:
    """No `from httpx._x import`, no `yaml._yaml`, no `client._transport`, no
    `getattr(obj, "_private")` on another library's objects: their internals change
    without notice, and a reviewer must not have to know them."""
    import sys

    package = Path(__file__).resolve().parent.parent / "reconciler"
    stdlib = set(sys.stdlib_module_names)

    def third_party(module: str) -> bool:
        top = module.split(".")[0]
        return top not in stdlib and top != "reconciler"

    def private(name: str) -> bool:
        return name.startswith("_") and not name.startswith("__")

    found = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "fastschema" and path.name != "__init__.py":
            continue  # generated by fastjsonschema
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        modules: set[str] = set()  # names bound to another library's modules or objects
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if third_party(alias.name):
                        modules.add(alias.asname or alias.name.split(".")[0])
                        if any(private(p) for p in alias.name.split(".")):
                            found.append(f"{path.name}: import {alias.name}")
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and third_party(node.module):
                if any(private(p) for p in node.module.split(".")):
                    found.append(f"{path.name}: from {node.module} import")
                for alias in node.names:
                    if private(alias.name):
                        found.append(f"{path.name}: from {node.module} import {alias.name}")
                    modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and private(node.attr):
                base = node.value
                if isinstance(base, ast.Name) and base.id in modules:
                    found.append(f"{path.name}:{node.lineno}: {base.id}.{node.attr}")
                # self._http._transport: a private name of an object the package holds
                if isinstance(base, ast.Attribute) and private(base.attr) and \
                        base.attr in ("_http", "_client", "_pool", "_transport"):
                    found.append(f"{path.name}:{node.lineno}: .{base.attr}.{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in ("getattr", "hasattr") and len(node.args) >= 2 and \
                    isinstance(node.args[1], ast.Constant) and \
                    isinstance(node.args[1].value, str) and private(node.args[1].value):
                found.append(f"{path.name}:{node.lineno}: getattr(…, {node.args[1].value!r})")
    assert found == []


def test_fewer_collections_is_scoped_and_restores_pythons_settings(tmp_path: Path) -> None:
    import gc

    from e2e import invoke, write_campaigns

    from reconciler.definitions.gctune import YOUNG_THRESHOLD, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD and gc.get_freeze_count() > 0
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the inner scope changed nothing
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    write_campaigns(tmp_path / "campaigns", 3)
    invoke(["validate", str(tmp_path / "campaigns")], {})  # a command run in-process
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def every_command() -> Iterator[tuple[str, click.Command]]:
    """("campaigns state list", the command), for every command, its module loaded."""
    import importlib

    from reconciler.cli.group import COMMANDS, cli

    for module in COMMANDS.values():
        importlib.import_module(f"reconciler.cli.{module}")

    def commands(command: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from commands(sub, f"{path} {name}")
        else:
            yield path, command

    return commands(cli, "campaigns")


def test_every_option_of_every_command_says_what_it_does() -> None:
    silent = [f"{path} {'/'.join(p.opts)}" for path, command in every_command()
              for p in command.params
              if isinstance(p, click.Option) and not p.hidden and not p.help]
    assert silent == []


def test_every_format_option_is_the_shared_one_and_chooses_alike(monkeypatch) -> None:
    """One `--format`: no default of its own, github under GitHub Actions where the command
    has it, text elsewhere and for the commands without it."""
    found = {path: p for path, command in every_command() for p in command.params
             if "--format" in p.opts}
    assert {"campaigns validate", "campaigns plan", "campaigns apply", "campaigns status",
            "campaigns state list"} <= set(found)
    for path, param in found.items():
        assert isinstance(param.type, click.Choice) and param.default is None, path
        assert param.help and param.help.startswith("Output format (default: text"), path
        choices = list(param.type.choices)
        ctx = click.Context(click.Command(path))
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert param.process_value(ctx, None) == ("github" if "github" in choices else "text")
        assert param.process_value(ctx, "json" if "json" in choices else "text") in choices
        monkeypatch.setenv("GITHUB_ACTIONS", "")
        assert param.process_value(ctx, None) == "text", path


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (at the top or inside
    a function; imports for type checkers only are left out)."""
    root = Path(__file__).resolve().parent.parent
    package = root / "reconciler"

    def name_of(path: Path) -> str:
        parts = list(path.relative_to(root).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    modules = {name_of(p): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for node in ast.walk(tree)
                       if isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                       and node.test.id == "TYPE_CHECKING" for n in ast.walk(node)}
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and node.module.split(".")[0] == "reconciler":
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    found.add(whole if whole in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in modules)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    graph = import_graph()
    assert "reconciler.checks.review" in graph["reconciler.plan.make"]  # the walk sees it

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), list(graph[start])
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return False

    assert sorted(m for m in graph if reaches(m, m)) == []


def test_the_core_never_imports_a_renderer_or_the_command_line() -> None:
    graph = import_graph()
    def outer(module: str) -> bool:
        return module.split(".")[:2] in (["reconciler", "render"], ["reconciler", "cli"])

    core = {m for m in graph if not outer(m) and m != "reconciler.__main__"}
    assert "reconciler.plan.planfile" in core and "reconciler.client" in core
    leaks = {m: sorted(d for d in graph[m] if outer(d)) for m in sorted(core)}
    assert {m: d for m, d in leaks.items() if d} == {}


def test_no_function_of_the_package_is_too_branchy_to_review() -> None:
    """Cyclomatic complexity 10 at most (radon's grade B), generated code aside."""
    from radon.complexity import cc_visit

    package = Path(__file__).resolve().parent.parent / "reconciler"
    generated = {"campaign.py", "campaign_fields.py", "defaults.py", "state.py",
                 "saved_plan.py"}
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "fastschema" and path.name in generated:
            continue
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > 10:
                found.append(f"{path.name}:{block.lineno} {block.name} {block.complexity}")
    assert found == []


def test_no_module_of_the_package_is_too_long_to_read_whole() -> None:
    """400 lines at most a module, generated code aside: past that, a module holds more
    than one thing and a reader looks for its parts."""
    package = Path(__file__).resolve().parent.parent / "reconciler"
    long = [f"{p.relative_to(package)}: {n}" for p in sorted(package.rglob("*.py"))
            if p.parent.name != "fastschema"
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    assert long == []


def test_every_text_file_the_package_writes_says_its_line_ends() -> None:
    """Text mode on Windows turns each "\\n" into "\\r\\n" unless told otherwise: a merged
    state, a saved plan or a schema written there would differ from the same file written
    on Linux. Every text write names `newline`."""
    root = Path(__file__).resolve().parent.parent / "reconciler"
    silent = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            mode = next((a.value for a in node.args[1:2] if isinstance(a, ast.Constant)), "r")
            mode = next((k.value.value for k in node.keywords if k.arg == "mode"
                         and isinstance(k.value, ast.Constant)), mode)
            writes = (name == "write_text"
                      or (name in ("open", "fdopen") and isinstance(mode, str)
                          and set(mode) & set("wax") and "b" not in mode))
            if writes and not any(k.arg == "newline" for k in node.keywords):
                silent.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert silent == []


def folder_modules(folder: str) -> list[str]:
    """The dotted names of the modules in `reconciler/<folder>/`, its `__init__` first."""
    path = Path(__file__).resolve().parent.parent / "reconciler" / folder
    inside = sorted(f"reconciler.{folder}.{p.stem}" for p in path.glob("*.py")
                    if p.stem != "__init__")
    return [f"reconciler.{folder}", *inside]


def under(module: str, packages: tuple[str, ...]) -> bool:
    """Whether `module` is one of `packages` or inside one (`reconciler.client` is not
    inside `reconciler.cli`)."""
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_checks_know_nothing_of_the_plan_the_apply_or_the_account() -> None:
    loaded = modules_loaded_by(", ".join(folder_modules("checks")))
    assert "reconciler.checks.review" in loaded
    outside = ("reconciler.plan", "reconciler.apply", "reconciler.state", "reconciler.client",
               "reconciler.workflow", "reconciler.remote")
    assert sorted(m for m in loaded if under(m, outside)) == []


def test_the_checks_package_loads_no_check() -> None:
    """The configuration reads `reconciler.checks.config`: the package itself imports
    nothing, so that reading the settings loads none of the checks."""
    loaded = modules_loaded_by("reconciler.checks.config")
    assert {m for m in loaded if m.startswith("reconciler.checks")} == {
        "reconciler.checks", "reconciler.checks.config"}


def test_the_definitions_know_nothing_of_the_checks_the_plan_or_the_account() -> None:
    """Reading campaign files loads no check, no plan, no state and no client: `validate`
    runs the checks on what the definitions give it, never the other way round."""
    loaded = modules_loaded_by(", ".join(folder_modules("definitions")))
    assert "reconciler.definitions.loader" in loaded
    outside = ("reconciler.checks.review", "reconciler.checks.links", "reconciler.plan",
               "reconciler.apply", "reconciler.state", "reconciler.client",
               "reconciler.workflow", "reconciler.remote", "reconciler.render")
    assert sorted(m for m in loaded if under(m, outside)) == []
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "click", "tenacity")}


def test_the_plan_folder_loads_no_http_no_command_line_and_nothing_of_the_apply() -> None:
    """Every module under `plan/` (saved plans and the sent-diff too) plans from plain
    values: no HTTP, click or retry code, no client, no applier."""
    loaded = modules_loaded_by(", ".join(folder_modules("plan")))
    assert "reconciler.plan.planfile" in loaded and "reconciler.remote" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "click", "tenacity")}
    outside = ("reconciler.apply", "reconciler.client", "reconciler.workflow",
               "reconciler.render", "reconciler.cli")
    assert sorted(m for m in loaded if under(m, outside)) == []


def test_the_plan_folder_imports_nothing_of_the_apply() -> None:
    """The arrow goes plan -> apply only: no module under `plan/` imports one under
    `apply/`, even inside a function."""
    graph = import_graph()
    plan = {m for m in graph if m == "reconciler.plan" or m.startswith("reconciler.plan.")}
    assert "reconciler.plan.make" in plan
    found = {m: sorted(d for d in graph[m] if d.split(".")[:2] == ["reconciler", "apply"])
             for m in sorted(plan)}
    assert {m: d for m, d in found.items() if d} == {}


def test_the_apply_loads_no_command_line_and_no_renderer() -> None:
    loaded = modules_loaded_by(", ".join(folder_modules("apply")))
    assert "reconciler.apply.applier" in loaded and "reconciler.client" in loaded
    # (httpx itself loads click, for its own command line: the rule is on our modules.)
    outside = ("reconciler.workflow", "reconciler.render", "reconciler.cli")
    assert sorted(m for m in loaded if under(m, outside)) == []


def test_only_the_apply_and_the_workflow_reach_the_state_journal() -> None:
    """The journal is where a create is recorded before and after it is sent: outside
    `state/` itself, only the applier (`apply/`) and the commands' workflow (`workflow/`)
    import it, by module or by name."""
    import ast

    from conftest import ROOT

    journal = {"Journal", "journal_path", "replay", "read_state_bytes"}

    def reaches_journal(node: ast.AST) -> bool:
        if isinstance(node, ast.ImportFrom):
            return node.module == "reconciler.state.journal" or (
                node.module == "reconciler.state" and bool(journal & {a.name for a in node.names}))
        return isinstance(node, ast.Import) and \
            "reconciler.state.journal" in {a.name for a in node.names}

    found = {path.relative_to(ROOT).parent.as_posix()
             for path in sorted((ROOT / "reconciler").rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if reaches_journal(node)}
    assert "reconciler/apply" in found  # the walk sees what it should
    assert found <= {"reconciler/apply", "reconciler/workflow", "reconciler/state"}
