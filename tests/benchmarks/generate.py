"""Provides generated full assessments (all nine characteristics assessed) for benchmarks and tests."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from eqia.document.form import FormSpec
from eqia.document.model import Answer, Assessment, CharacteristicRecord
from eqia.document.outline import all_slots
from eqia.files.forms import load_form
from eqia.files.store import dumps

WORDS = [
    "the",
    "council",
    "will",
    "commission",
    "care",
    "services",
    "for",
    "residents",
    "with",
    "consultation",
    "evidence",
    "providers",
    "quality",
    "framework",
    "older",
    "adults",
    "disability",
    "carers",
    "support",
    "independence",
    "monitoring",
    "outcomes",
    "equality",
    "impact",
    "data",
    "survey",
    "feedback",
    "review",
    "action",
    "plan",
]


def _text(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        n = min(words, rng.randint(8, 20))
        words -= n
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    paragraphs = []
    while sentences:
        take = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return "\n\n".join(paragraphs)


def full_assessment(form: FormSpec, index: int, seed: int = 0, words: int = 30) -> Assessment:
    """A complete assessment: every characteristic assessed, every shown question answered."""
    rng = random.Random(seed * 100_003 + index)
    a = Assessment(
        form=form.id,
        form_version=form.version,
        header={
            "ea_name": f"Generated service review {index}",
            "directorate": rng.choice(["People", "Place", "Economy", "Finance"]),
            "service_area": "Commissioning",
            "activity_type": rng.choice([t.value for t in form.activity_types]),
            "summary": _text(rng, 25),
            "reference": f"EA9{index:05d}",
            "task_group_manager": "officer@example.gov.uk",
            "senior_officer": "senior@example.gov.uk",
            "quality_control_officer": "qc@example.gov.uk",
        },
        characteristics={
            c.id: CharacteristicRecord(relevant=True, full_assessment=True) for c in form.characteristics
        },
    )
    for slot in all_slots(form, a, shown_only=False):
        q = slot.question
        if q.kind == "yes_no":
            value: object = "Yes"
        elif q.kind == "date":
            value = dt.date(2027, 1, 1) + dt.timedelta(days=index % 300)
        else:
            value = _text(rng, words)
        answer = Answer(
            answer=value, comment=_text(rng, words // 2) if q.comment and rng.random() < 0.5 else None
        )
        if slot.item is not None:
            entry = a.answers.setdefault(q.id, {})
            assert isinstance(entry, dict)
            entry[slot.item.id] = answer
        elif slot.characteristic is not None:
            a.characteristics[slot.characteristic.id].answers[q.id] = answer
        else:
            a.answers[q.id] = answer
    return a


def write_batch(folder: Path, count: int, seed: int = 0, words: int = 30) -> list[Path]:
    form = load_form("birmingham-ea")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"generated-{i:05d}.toml"
        path.write_text(dumps(full_assessment(form, i, seed, words), form), encoding="utf-8")
        paths.append(path)
    return paths
