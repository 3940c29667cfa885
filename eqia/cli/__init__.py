"""Provides the `eqia` command line: the group, and each command from its module. Commands that do not
open the terminal UI never import Textual."""

from __future__ import annotations

import click

from eqia import __version__
from eqia.cli.authoring import edit, new, review, run_app, show, upgrade
from eqia.cli.config_commands import config
from eqia.cli.export import export
from eqia.cli.folders import actions, due_, list_, progress_report
from eqia.cli.forms_commands import forms
from eqia.cli.history_command import history
from eqia.cli.lifecycle import approve, check, diff, keep, publish, return_, submit
from eqia.cli.merging import merge
from eqia.cli.site import site


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="eqia")
@click.pass_context
def main(ctx: click.Context) -> None:
    """eqia: write, quality-check and publish equality impact assessments.

    Assessments are TOML files (one per assessment, in assessments/), written
    against a form (forms/*.toml) such as Birmingham City Council's Equality
    Analysis. Run `eqia` alone to open the app, or `eqia edit FILE`.
    """
    if ctx.invoked_subcommand is None:
        run_app(None)


for command in (edit, new, check, show, review, upgrade, submit, approve, return_, publish, keep, diff):
    main.add_command(command)
for command in (list_, actions, due_, progress_report, forms, export, site, merge, config, history):
    main.add_command(command)
