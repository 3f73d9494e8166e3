"""Every detector and every CLI option is documented in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from unspin import detectors
from unspin.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


# Typer builds on its own copy of click, so commands and options are recognised by what they hold, not their class.
def commands(group: Any, prefix: str = "unspin") -> list[tuple[str, Any]]:
    found = [(prefix, group)]
    for name, command in getattr(group, "commands", {}).items():
        found.extend(commands(command, f"{prefix} {name}"))
    return found


def test_docs_every_detector_is_in_the_readme() -> None:
    for name in detectors.available():
        assert f"`{name}`" in README, name


def test_docs_every_command_and_option_is_in_the_readme() -> None:
    found = commands(typer.main.get_command(app))
    assert len(found) > 20, [path for path, _ in found]  # the walk reaches the subcommands
    for path, command in found:
        if hasattr(command, "commands"):
            continue
        assert path in README, path
        for param in command.params:
            if param.param_type_name == "option":
                for flag in param.opts:
                    if flag.startswith("--") and flag not in ("--help",):
                        assert flag in README, f"{path} {flag}"
