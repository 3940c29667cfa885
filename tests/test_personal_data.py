"""Tests for the personal data detector: a corpus of sentences as council EqIAs write them.

CORPUS holds the personal data each text carries (kind and text exactly) and the near misses that carry
none: references, sums, dates of decisions, postcodes of areas. tests/benchmarks/pii_corpus.py scores it.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eqia.quality.personal_data import KINDS, PersonalData, find_personal_data, nhs_checksum_holds

# Officer details as a form's header holds them; "Sam" is one word, so it is never looked for.
NAMES = ("Jo Bloggs", "Priya Shah (Head of Commissioning)", "Mohammed Iqbal, Service Lead", "Sam")


class Case(NamedTuple):
    id: str
    text: str
    expected: tuple[tuple[str, str], ...]


CORPUS: tuple[Case, ...] = (
    # Email addresses.
    Case(
        "email-officer",
        "Comments were sent to jo.bloggs@birmingham.gov.uk before the consultation closed.",
        (("email", "jo.bloggs@birmingham.gov.uk"),),
    ),
    Case(
        "email-resident",
        "One carer (sarah_k1982@hotmail.co.uk) asked to be told when the decision is made.",
        (("email", "sarah_k1982@hotmail.co.uk"),),
    ),
    Case(
        "email-capitals",
        "Contact: PRIYA.SHAH+eqia@Birmingham.GOV.UK.",
        (("email", "PRIYA.SHAH+eqia@Birmingham.GOV.UK"),),
    ),
    # UK phone numbers.
    Case(
        "phone-landline",
        "Residents can ring the commissioning team on 0121 303 1111 between 9am and 5pm.",
        (("phone", "0121 303 1111"),),
    ),
    Case(
        "phone-mobile-drama-range",
        "A parent left her mobile, 07700 900123, asking for a call back.",
        (("phone", "07700 900123"),),
    ),
    Case(
        "phone-mobile",
        "The advocate's number (07712 345678) is on the referral.",
        (("phone", "07712 345678"),),
    ),
    Case(
        "phone-international",
        "Family members abroad can call +44 121 303 1111.",
        (("phone", "+44 121 303 1111"),),
    ),
    Case("phone-hyphens", "Tel: 0121-303-1111 (answerphone).", (("phone", "0121-303-1111"),)),
    Case("phone-brackets", "Call (0121) 464 6000 to book.", (("phone", "(0121) 464 6000"),)),
    # National Insurance numbers.
    Case(
        "ni-spaced",
        "Her National Insurance number AB 12 34 56 C was copied into the case notes.",
        (("ni_number", "AB 12 34 56 C"),),
    ),
    Case("ni-bare", "NI no. JG103759A, pension credit claimant.", (("ni_number", "JG103759A"),)),
    Case("ni-lowercase", "ni: ab123456c (from the benefits team)", (("ni_number", "ab123456c"),)),
    # NHS numbers.
    Case(
        "nhs-spaced",
        "NHS number 943 476 5919 was quoted in the complaint.",
        (("nhs_number", "943 476 5919"),),
    ),
    Case("nhs-bare", "Patient (NHS no: 4010232137) was discharged.", (("nhs_number", "4010232137"),)),
    Case("nhs-hyphens", "Referral for 450-557-7104 was delayed.", (("nhs_number", "450-557-7104"),)),
    # A house number with its postcode.
    Case(
        "address-street",
        "The complainant lives at 12 Acacia Avenue, Birmingham B1 1BB and uses the day centre.",
        (("address", "12 Acacia Avenue, Birmingham B1 1BB"),),
    ),
    Case(
        "address-flat",
        "Visit arranged at Flat 3, 4 High St, B5 7RN on Tuesday.",
        (("address", "Flat 3, 4 High St, B5 7RN"),),
    ),
    Case(
        "address-lowercase-postcode",
        "The family at 27 Church Road, Erdington, b23 6rd asked for an interpreter.",
        (("address", "27 Church Road, Erdington, b23 6rd"),),
    ),
    Case(
        "address-house-letter",
        "Letters went to 45a Stratford Road, Sparkhill, Birmingham B11 4EA.",
        (("address", "45a Stratford Road, Sparkhill, Birmingham B11 4EA"),),
    ),
    Case(
        "address-all-lowercase",
        "she lives at 8 moseley road, birmingham b12 0hj with her son",
        (("address", "8 moseley road, birmingham b12 0hj"),),
    ),
    Case(
        "address-london",
        "Correspondence address: 10 Downing Street, London SW1A 2AA",
        (("address", "10 Downing Street, London SW1A 2AA"),),
    ),
    Case(
        "address-long-place",
        "Home visit: 2 Lee Mews, Kings Heath, Birmingham, West Midlands, B14 7AA.",
        (("address", "2 Lee Mews, Kings Heath, Birmingham, West Midlands, B14 7AA"),),
    ),
    Case(
        "address-house-range",
        "Objection from 12-14 Corporation Street, Birmingham B2 4RQ about access.",
        (("address", "12-14 Corporation Street, Birmingham B2 4RQ"),),
    ),
    # Dates of birth.
    Case("dob-label", "Date of birth: 14/07/1952", (("date_of_birth", "14/07/1952"),)),
    Case(
        "dob-born",
        "Mr A (born 3 March 1948) has used the day centre for ten years.",
        (("date_of_birth", "3 March 1948"),),
    ),
    Case("dob-iso", "DOB 1961-11-02, lives alone.", (("date_of_birth", "1961-11-02"),)),
    Case("dob-dotted", "D.O.B. 02.05.1939", (("date_of_birth", "02.05.1939"),)),
    Case(
        "dob-birthday",
        "The resident, whose birthday is on 21st June 1950, asked for a visit.",
        (("date_of_birth", "21st June 1950"),),
    ),
    Case(
        "dob-born-in",
        "She was born in Birmingham on 9 Sept 1987 and moved away.",
        (("date_of_birth", "9 Sept 1987"),),
    ),
    # Officer names.
    Case(
        "officer-signoff",
        "Signed off by Jo Bloggs, Service Manager, after the review.",
        (("officer_name", "Jo Bloggs"),),
    ),
    Case(
        "officer-capitals",
        "PRIYA SHAH approved the action plan on 3 February 2026.",
        (("officer_name", "PRIYA SHAH"),),
    ),
    Case(
        "officer-name-before-comma",
        "Queries about the data go to Mohammed Iqbal.",
        (("officer_name", "Mohammed Iqbal"),),
    ),
    # Several kinds in one text.
    Case(
        "several",
        "Contact Jo Bloggs on 0121 303 1111 or jo.bloggs@birmingham.gov.uk.",
        (
            ("officer_name", "Jo Bloggs"),
            ("phone", "0121 303 1111"),
            ("email", "jo.bloggs@birmingham.gov.uk"),
        ),
    ),
    # Near misses: none of these is personal data.
    Case("miss-phone-in-reference", "Logged as EQIA-2026-01213031111 in the register.", ()),
    Case("miss-assessment-number", "See EA002326 for the previous assessment.", ()),
    Case("miss-digits-in-ref", "Decision ref 20260121303 was published.", ()),
    Case("miss-phone-with-extension-range", "Switchboard 0121 303 1111/2 for the team.", ()),
    Case("miss-nhs-bad-checksum", "The NHS number 943 476 5918 on the form was wrong.", ()),
    Case("miss-nhs-bad-checksum-bare", "Reference 9434765910 was rejected.", ()),
    Case("miss-postcode-alone", "Services in B1 1BB will move to the new hub.", ()),
    Case("miss-outward-code", "Users in the B15 area travel furthest.", ()),
    Case("miss-public-building", "Drop-in at the Council House, Victoria Square, Birmingham B1 1BB.", ()),
    Case("miss-count-not-house", "12 people attended Council House, Victoria Square, B1 1BB.", ()),
    Case("miss-count-on-street", "The 3 day centres on Bell Lane, B31 1AA will stay open.", ()),
    Case("miss-year-before-street-word", "From 2024 Road safety checks covered B1 1BB.", ()),
    Case("miss-po-box", "Write to PO Box 16465, Birmingham B2 2BB.", ()),
    Case("miss-decision-date", "Cabinet took the decision on 12 March 2026.", ()),
    Case("miss-numeric-dates", "Phase 2 runs from 01/04/2026 to 31/03/2027.", ()),
    Case("miss-born-no-date", "Data from the Born in Bradford study (2007-2011) informed the needs.", ()),
    Case(
        "miss-born-far-from-date",
        "The service was born out of the 2019 review, launched on 1 April 2020.",
        (),
    ),
    Case("miss-handle", "Follow @BhamCityCouncil or @council for updates.", ()),
    Case("miss-name-at-alone", "Send it to the equalities@ inbox; jo@council bounced.", ()),
    Case("miss-ni-excluded-first-letter", "Form field QQ123456C is the sample value.", ()),
    Case("miss-ni-excluded-prefix", "Test values BG 12 34 56 A and TN 12 34 56 A are never issued.", ()),
    Case("miss-first-name-alone", "Jo said the consultation ran well; Priya agreed.", ()),
    Case("miss-one-word-name", "Sam led the workshops with carers.", ()),
    Case("miss-money", "The budget is £1,234,567 over three years.", ()),
    Case("miss-year-range", "The strategy runs 2021-2026.", ()),
    Case("miss-statute", "Under s149(1) of the Equality Act 2010 the council must have due regard.", ()),
    Case("miss-wards", "Ward 12 (Sparkbrook and Balsall Heath East) and wards 1-10 are affected.", ()),
    Case("miss-census", "Census 2021: 1,144,900 residents, 27,000 aged 85 and over.", ()),
    Case("miss-table", "Table 4.2 shows 12,345,678 journeys in 2024-25.", ()),
    Case("miss-area-code", "Numbers in the 0121 area code are free from landlines.", ()),
)

TRUE_POSITIVES = [case for case in CORPUS if case.expected]
NEAR_MISSES = [case for case in CORPUS if not case.expected]


def found_in(text: str) -> list[tuple[str, str]]:
    return [(item.kind, item.text) for item in find_personal_data(text, NAMES)]


def compare(case: Case) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """What the detector found of what the case expects, what it missed, and what it found besides."""
    actual = found_in(case.text)
    hits = [item for item in case.expected if item in actual]
    missed = [item for item in case.expected if item not in actual]
    false_alarms = [item for item in actual if item not in case.expected]
    return hits, missed, false_alarms


def score(corpus: tuple[Case, ...] = CORPUS) -> tuple[int, int, int]:
    """(found, missed, false alarms) over the corpus, comparing kind and text."""
    found = missed = false_alarms = 0
    for case in corpus:
        hits, misses, wrong = compare(case)
        found, missed, false_alarms = found + len(hits), missed + len(misses), false_alarms + len(wrong)
    return found, missed, false_alarms


def test_corpus_is_big_enough() -> None:
    kinds = {kind for case in TRUE_POSITIVES for kind, _ in case.expected}
    assert len(TRUE_POSITIVES) >= 25
    assert len(NEAR_MISSES) >= 20
    assert kinds == set(KINDS)


@pytest.mark.parametrize("case", TRUE_POSITIVES, ids=lambda case: case.id)
def test_finds(case: Case) -> None:
    assert sorted(found_in(case.text)) == sorted(case.expected)


@pytest.mark.parametrize("case", NEAR_MISSES, ids=lambda case: case.id)
def test_near_miss_is_not_a_finding(case: Case) -> None:
    assert found_in(case.text) == []


def test_corpus_score() -> None:
    found, missed, false_alarms = score()
    print(f"found {found}, missed {missed}, false alarms {false_alarms} over {len(CORPUS)} texts")
    assert (missed, false_alarms) == (0, 0)
    assert found == sum(len(case.expected) for case in CORPUS)


def test_findings_carry_offsets_into_the_text() -> None:
    text = "Contact Jo Bloggs on 0121 303 1111 or jo.bloggs@birmingham.gov.uk."
    findings = find_personal_data(text, NAMES)
    assert findings == [
        PersonalData("officer_name", 8, 17, "Jo Bloggs"),
        PersonalData("phone", 21, 34, "0121 303 1111"),
        PersonalData("email", 38, 65, "jo.bloggs@birmingham.gov.uk"),
    ]


def test_no_names_no_officer_findings() -> None:
    assert find_personal_data("Signed off by Jo Bloggs.") == []


def test_names_are_whole_words() -> None:
    assert find_personal_data("Jo Bloggsworth and Tojo Bloggs", ["Jo Bloggs"]) == []


def test_names_across_a_line_break() -> None:
    assert [f.text for f in find_personal_data("by Jo\nBloggs", ["Jo Bloggs"])] == ["Jo\nBloggs"]


def test_one_name_given_as_a_string() -> None:
    assert found_in_with("Signed off by Jo Bloggs.", "Jo Bloggs (Officer)") == [("officer_name", "Jo Bloggs")]


def found_in_with(text: str, names: str) -> list[tuple[str, str]]:
    return [(item.kind, item.text) for item in find_personal_data(text, names)]


def test_a_name_given_twice_is_reported_once() -> None:
    found = find_personal_data("Jo Bloggs wrote it.", ["Jo Bloggs", "jo bloggs (Officer)", " Jo  Bloggs "])
    assert [f.text for f in found] == ["Jo Bloggs"]


def test_nhs_number_written_as_nhs_numbers_are_wins_over_phone() -> None:
    # 080 000 0005 passes the NHS check and phonenumbers reads it as a freephone number too.
    assert found_in("NHS number 080 000 0005 on file.") == [("nhs_number", "080 000 0005")]


def test_bare_ten_digits_from_zero_are_a_phone_number() -> None:
    assert found_in("Freephone 0800000005 for advice.") == [("phone", "0800000005")]


@pytest.mark.parametrize(
    ("digits", "holds"),
    [("9434765919", True), ("4010232137", True), ("9434765918", False), ("1234567890", False)],
)
def test_nhs_checksum(digits: str, holds: bool) -> None:
    assert nhs_checksum_holds(digits) is holds


def test_nhs_check_digit_ten_is_never_valid() -> None:
    # 000000006: the weights give 6 * 2 = 12, 12 % 11 = 1, 11 - 1 = 10, so no last digit will do.
    assert not any(nhs_checksum_holds(f"000000006{last}") for last in range(10))


def test_email_at_end_of_sentence_leaves_the_full_stop() -> None:
    assert found_in("Write to a.b@example.org.") == [("email", "a.b@example.org")]


def test_postcode_too_far_from_the_house_number() -> None:
    text = "12 Acacia Avenue is mentioned here and then a long way later, after much else, B1 1BB"
    assert found_in(text) == []


def test_kinds_are_named_in_plain_english() -> None:
    assert list(KINDS) == [
        "email",
        "phone",
        "ni_number",
        "nhs_number",
        "address",
        "date_of_birth",
        "officer_name",
    ]
    assert all(name.startswith(("a ", "an ", "the ")) for name in KINDS.values())


def test_module_is_pure() -> None:
    source = Path(__file__).resolve().parent.parent / "eqia" / "quality" / "personal_data.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.startswith(("textual", "eqia")) for name in modules)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from([case.text for case in CORPUS] + [" ", ", ", "\n", "x", "7", "-", "@"]),
        max_size=6,
    )
)
def test_findings_are_sorted_exact_and_never_overlap(parts: list[str]) -> None:
    text = "".join(parts)
    findings = find_personal_data(text, NAMES)
    assert findings == sorted(findings, key=lambda f: f.start)
    for item in findings:
        assert item.kind in KINDS
        assert text[item.start : item.end] == item.text
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start
