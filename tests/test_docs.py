"""Every detector and every CLI option is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import typer.main

from unspin import detectors
from unspin.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Command, prefix: str = "unspin") -> list[tuple[str, click.Command]]:
    found = [(prefix, group)]
    if isinstance(group, click.Group):
        for name, command in group.commands.items():
            found.extend(commands(command, f"{prefix} {name}"))
    return found


def test_docs_every_detector_is_in_the_readme() -> None:
    for name in detectors.available():
        assert f"`{name}`" in README, name


def test_docs_every_command_and_option_is_in_the_readme() -> None:
    for path, command in commands(typer.main.get_command(app)):
        if isinstance(command, click.Group):
            continue
        assert path in README, path
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in param.opts:
                    if flag.startswith("--") and flag not in ("--help",):
                        assert flag in README, f"{path} {flag}"
