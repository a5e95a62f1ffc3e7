"""The README documents every command, every option and every setting, and nothing that is gone.

The commands and options are read from the typer app itself, so adding a command
or an option without a section in the README's command reference fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.core import TyperGroup, TyperOption

from defcoop import settings
from defcoop.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# A command's section: "### `defcoop NAME`" up to the next heading of level 2 or 3.
SECTION = re.compile(r"^### `defcoop (?P<name>[a-z-]+)`\n(?P<body>.*?)(?=^##)", re.M | re.S)
DOCUMENTED_OPTION = re.compile(r"`(--[a-z][a-z-]*)")
ENV_VAR = re.compile(r"\bDEFCOOP_[A-Z_]+\b")


def command_options(typer_app: typer.Typer) -> dict[str, set[str]]:
    """Each command of the app and the option strings it accepts (without --help)."""
    group = typer.main.get_command(typer_app)
    assert isinstance(group, TyperGroup)
    return {
        name: {
            opt
            for param in command.params
            if isinstance(param, TyperOption)
            for opt in (*param.opts, *param.secondary_opts)
        }
        for name, command in group.commands.items()
    }


def documented_sections(readme: str) -> dict[str, str]:
    """The README's command sections, by command name."""
    return {m["name"]: m["body"] for m in SECTION.finditer(readme + "\n## end\n")}


def undocumented(typer_app: typer.Typer, readme: str) -> list[str]:
    """Commands and options of the app that the README's command reference does not give."""
    sections = documented_sections(readme)
    missing: list[str] = []
    for name, options in sorted(command_options(typer_app).items()):
        if name not in sections:
            missing.append(f"command {name}")
            continue
        documented = set(DOCUMENTED_OPTION.findall(sections[name]))
        missing.extend(f"{name} {option}" for option in sorted(options - documented))
    return missing


def test_every_command_and_option_is_documented() -> None:
    assert undocumented(app, README.read_text(encoding="utf-8")) == []


def test_the_readme_documents_no_command_or_option_that_is_gone() -> None:
    actual = command_options(app)
    sections = documented_sections(README.read_text(encoding="utf-8"))
    assert set(sections) == set(actual)
    for name, body in sections.items():
        assert set(DOCUMENTED_OPTION.findall(body)) <= actual[name], name


def test_a_new_command_without_docs_is_caught() -> None:
    extended = typer.Typer()
    for info in app.registered_commands:
        extended.registered_commands.append(info)

    @extended.command()
    def frobnicate(level: int = typer.Option(1, "--level")) -> None:
        """A command nobody documented."""

    readme = README.read_text(encoding="utf-8")
    assert undocumented(extended, readme) == ["command frobnicate"]
    stub = readme + "\n### `defcoop frobnicate`\n\nDoes things.\n"
    assert undocumented(extended, stub) == ["frobnicate --level"]


def test_every_setting_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    for setting in settings.SETTINGS.values():
        assert f"`{setting.name}`" in readme, setting.name
        assert f"`{setting.env}`" in readme, setting.env
    assert set(ENV_VAR.findall(readme)) == {s.env for s in settings.SETTINGS.values()}


def test_the_readme_links_resolve() -> None:
    readme = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#:]+)\)", readme)
    assert targets
    for target in targets:
        assert (ROOT / target).exists(), target
