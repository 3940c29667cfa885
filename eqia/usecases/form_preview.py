"""Provides a form's preview: its questions numbered as users see them, with every optional part switched
on, every characteristic assessed and the activity type's wording filled in (`eqia forms show`)."""

from __future__ import annotations

from eqia.document.form import FormSpec, fill
from eqia.document.model import Assessment, CharacteristicRecord
from eqia.document.outline import numbered, slots


def preview_assessment(form: FormSpec, activity_type: str = "") -> Assessment:
    """An empty assessment that shows every part of the form."""
    header = {"activity_type": activity_type or form.activity_types[0].value}
    chars = {c.id: CharacteristicRecord(relevant=True, full_assessment=True) for c in form.characteristics}
    everything = [oid for oid, _ in form.optional_items()]
    return Assessment(
        form=form.id, form_version=form.version, header=header, characteristics=chars, include=everything
    )


def preview_lines(form: FormSpec, activity_type: str = "") -> list[str]:
    """The form as text lines: header fields, optional parts, then each numbered heading and its questions,
    each followed by the form's rules reported at it."""
    a = preview_assessment(form, activity_type)
    lines = [f"{form.form.name} ({form.id} {form.version})", ""]
    lines += ["Header: " + ", ".join(h.label for h in form.header), ""]
    if a.include:
        labels = ", ".join(label for _, label in form.optional_items())
        lines.append(f"Optional (shown here switched on): {labels}")
        lines.append("")
    per_characteristic = {q.id for _, q in form.questions("characteristic")}
    rules: dict[str, list[str]] = {}
    for rule in form.rules:
        for qid in rule.governs(per_characteristic):
            rules.setdefault(qid, []).append(f"rule ({rule.severity}): {rule.condition()}. {rule.message}")
    for entry in numbered(form, a):
        lines.append(f"{'  ' * (entry.level - 2)}{entry.number} {entry.title}")
        if entry.section is None:
            continue
        indent = "  " * (entry.level - 1)
        grid: str | None = None
        asked = slots(form, a, entry.section, entry.characteristic, shown_only=False, values=entry.values)
        for n, slot in enumerate(asked):
            q = slot.question
            extra = []
            if q.show_if:
                extra.append("if " + " or ".join(f"{c.question} = {c.equals}" for c in q.show_if))
            if q.required:
                extra.append("required")
            if q.applies_to:
                extra.append("only for " + ", ".join(q.applies_to))
            kind = q.kind
            if q.kind == "repeat":
                kind = "rows of " + ", ".join(f.label for f in q.fields)
            elif q.kind == "choice":
                kind = "one of " + " / ".join(q.options)
            note = f"  [{kind}{', ' if extra else ''}{', '.join(extra)}]"
            if slot.item is not None:
                if grid != q.id:
                    grid = q.id
                    per = form.list_title(q.each or "") or q.each
                    lines.append(f"{indent}- {fill(q.text, **entry.values)}  (for each: {per})")
                lines.append(f"{indent}    · {slot.text}{note}")
                if n + 1 == len(asked) or asked[n + 1].question.id != q.id:
                    lines += [f"{indent}  {rule}" for rule in rules.get(q.id, [])]
                continue
            grid = None
            lines.append(f"{indent}- {slot.text}{note}")
            lines += [f"{indent}  {rule}" for rule in rules.get(q.id, [])]
    return lines
