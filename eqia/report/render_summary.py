"""Provides the summary exports (`eqia export --format summary-html|summary-docx`): the summary for the
public on its own, under the assessment's name, in the house style and accessibility of the full report."""

from __future__ import annotations

from eqia.report.tree import Heading, Paragraph, Report


def summary_report(report: Report) -> Report:
    """A report holding only the assessment's name, its title and reference, and its public summary."""
    name = report.name or report.title
    about = " \u00b7 ".join(t for t in (report.title, report.reference) if t and t != name)
    blocks: list = [Heading(1, "", name)]
    if about:
        blocks.append(Paragraph(about))
    if report.summary:
        blocks.append(Heading(2, "", report.summary_label))
        blocks.append(Paragraph(report.summary))
    return Report(
        title=report.title,
        subtitle="",
        language=report.language,
        reference=report.reference,
        name=report.name,
        blocks=blocks,
        skip_link=report.skip_link,
        summary_label=report.summary_label,
        summary=report.summary,
    )


def render_summary_html(report: Report) -> str:
    from eqia.report.render_html import render_html  # jinja2 is loaded only when asked for

    return render_html(summary_report(report))


def render_summary_docx(report: Report) -> bytes:
    from eqia.report.render_docx import render_docx  # python-docx is slow to load

    return render_docx(summary_report(report))
