"""Provides what a public output shows of an assessment: its summary for the public, and a copy in
which the header's officer details are left out or replaced by a role, as the form says (public_as)."""

from __future__ import annotations

import re

from eqia.document.form import FormSpec
from eqia.document.model import Assessment


def public_summary(form: FormSpec, assessment: Assessment) -> tuple[str, str]:
    """(label, text) of the summary for the public: the field the form names ([public_summary]), or else
    the header's summary; ("", "") when neither is written."""
    fields = [form.public_summary.field] if form.public_summary else []
    for fid in [*fields, "summary"]:
        header = next((h for h in form.header if h.id == fid), None)
        if header is not None:
            value = assessment.header.get(fid)
            if isinstance(value, str) and value.strip():
                return header.label, value.strip()
            continue
        answer = assessment.get(fid)
        if answer is not None and isinstance(answer.answer, str) and answer.answer.strip():
            question = form.question(fid)
            return (question.text if question else fid), answer.answer.strip()
    return "", ""


def public_copy(form: FormSpec, assessment: Assessment) -> Assessment:
    """A copy for publication: each header field with public_as shows those words instead of its value
    (a role for an officer's name or email), or is left out where public_as is empty; an action whose
    owner is one of those officers shows the job title alone (or the role)."""
    copy = assessment.model_copy(deep=True)
    names: dict[str, str] = {}
    for h in form.header:
        if h.public_as is None or h.id not in copy.header:
            continue
        value = copy.header[h.id]
        if isinstance(value, str) and (name := re.split(r"[(,]", value)[0].strip()):
            names[name] = h.public_as
        if h.public_as:
            copy.header[h.id] = h.public_as
        else:
            del copy.header[h.id]
    for item in copy.actions:  # "Rachel Dunn, Senior Commissioning Manager" -> the job title alone
        for name, role in names.items():
            if item.owner.startswith(name):
                rest = item.owner[len(name) :].lstrip(" ,;-\u2013")
                item.owner = rest or role
    return copy
