"""Finds personal data in free text: what must come out of an assessment before it is published.

Pure: a function of the text and the officer names a form marks as such; it reads no files. Each finding
is a kind (see KINDS), the offsets of the matched text and the text itself. The detectors lean towards
what a person wrote about another person (a house number with its postcode, a date after "born"), so a
council's own references, decision dates, sums of money and postcodes of areas are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

KINDS: dict[str, str] = {
    "email": "an email address",
    "phone": "a UK phone number",
    "ni_number": "a National Insurance number",
    "nhs_number": "an NHS number",
    "address": "a house number and postcode",
    "date_of_birth": "a date of birth",
    "officer_name": "the name of an officer",
}


@dataclass(frozen=True)
class PersonalData:
    """One piece of personal data found: its kind (a key of KINDS), where it is, and the text matched."""

    kind: str
    start: int
    end: int
    text: str


def find_personal_data(text: str, names: Iterable[str] = ()) -> list[PersonalData]:
    """The personal data in text, sorted by start, no two overlapping.

    names are officer details as a form holds them ("Priya Shah (Head of Commissioning)"): the part
    before any "(" or "," is looked for, when it has at least two words. Where two findings overlap,
    the longer is kept (an NHS number against a phone number is settled first, see _settle_nhs_or_phone).
    """
    found = [
        *_emails(text),
        *_settle_nhs_or_phone(_nhs_numbers(text), _phones(text)),
        *_ni_numbers(text),
        *_addresses(text),
        *_dates_of_birth(text),
        *_officer_names(text, names),
    ]
    order = list(KINDS)
    kept: list[PersonalData] = []
    for item in sorted(found, key=lambda f: (f.start - f.end, order.index(f.kind), f.start)):
        if all(item.end <= other.start or other.end <= item.start for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)


def _finding(kind: str, text: str, start: int, end: int) -> PersonalData:
    return PersonalData(kind=kind, start=start, end=end, text=text[start:end])


# Email: a local part, "@", and a domain of at least two labels ending in letters. "name@" alone and an
# "@handle" have no domain with a dot, so they are not matched.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9_%+-]|\.(?!\.))*(?<!\.)"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![\w-]|\.[A-Za-z0-9])"
)


def _emails(text: str) -> list[PersonalData]:
    return [_finding("email", text, m.start(), m.end()) for m in _EMAIL.finditer(text)]


# Phone: what phonenumbers holds valid for the UK, unless it is glued to a reference ("EQIA-2026-0121...").
_GLUE = re.compile(r"[\w/-]")
# Also UK mobile numbers (07 and nine digits) the library's tables do not list yet, and Ofcom's ranges
# kept for drama (07700 900xxx, 01632 960xxx), which it holds invalid: a writer may use either.
_MOBILE_OR_DRAMA = re.compile(r"(?:0|44|0044)(?:7\d{9}|1632960\d{3})")


def _phones(text: str) -> list[PersonalData]:
    spans: set[tuple[int, int]] = set()
    valid = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)
    spans.update((m.start, m.end) for m in valid)
    possible = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    spans.update(
        (m.start, m.end) for m in possible if _MOBILE_OR_DRAMA.fullmatch(re.sub(r"\D", "", m.raw_string))
    )
    # "(07712 345678)" comes back as "(07712 345678": an opening bracket with no closing one is left out.
    spans = {(start + 1, end) if _unclosed_bracket(text[start:end]) else (start, end) for start, end in spans}
    return [
        _finding("phone", text, start, end) for start, end in sorted(spans) if not _glued(text, start, end)
    ]


def _unclosed_bracket(number: str) -> bool:
    return number.startswith("(") and ")" not in number


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the span touches a letter, digit, "-" or "/": then it is part of a longer reference."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return bool(_GLUE.match(before) or _GLUE.match(after))


# NHS number: ten digits, bare or 3-3-4 with the same space or hyphen twice, passing modulus 11.
_NHS = re.compile(r"(?<![\w/.,-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w/-]|[.,]\d)")


def _nhs_numbers(text: str) -> list[PersonalData]:
    return [
        _finding("nhs_number", text, m.start(), m.end())
        for m in _NHS.finditer(text)
        if nhs_checksum_holds(m.group(1) + m.group(3) + m.group(4))
    ]


def nhs_checksum_holds(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus 11 check (weights 10 to 2 on the first nine)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _settle_nhs_or_phone(nhs: list[PersonalData], phones: list[PersonalData]) -> list[PersonalData]:
    """An NHS number that is also a phone number is reported once.

    The NHS number wins when it is written 3-3-4 or as ten bare digits not starting with 0 (the way NHS
    numbers are written); a bare ten digits starting with 0 is taken as the phone number.
    """
    kept_nhs: list[PersonalData] = []
    for number in nhs:
        clashes = [phone for phone in phones if _overlap(number, phone)]
        if not clashes or not number.text.isdigit() or not number.text.startswith("0"):
            kept_nhs.append(number)
            phones = [phone for phone in phones if phone not in clashes]
    return kept_nhs + phones


def _overlap(a: PersonalData, b: PersonalData) -> bool:
    return a.start < b.end and b.start < a.end


# National Insurance number: HMRC's prefix letters (first not D F I Q U V; second not D F I O Q U V;
# not BG GB KN NK NT TN ZZ), six digits (spaces between pairs allowed) and a suffix A to D.
_NI = re.compile(
    r"(?<!\w)(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)",
    re.IGNORECASE,
)


def _ni_numbers(text: str) -> list[PersonalData]:
    return [_finding("ni_number", text, m.start(), m.end()) for m in _NI.finditer(text)]


# Address: a full postcode with a house or flat number and a street word in the 60 characters before it.
_POSTCODE = re.compile(
    r"(?<![\w-])[A-PR-UWYZ](?:[A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])", re.IGNORECASE
)
_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|grove|gardens|gdns|place|pl"
    "|court|ct|terrace|tce|hill|park|square|sq|walk|row|mews|green|rise|view|croft|parade|vale|gate"
    "|wharf|circus|boulevard|meadow|meadows|fields|chase|house|cottages|towers|estate"
)
# Words that say the number counts something ("12 residents on Church Road") rather than a house.
_NOT_IN_A_STREET_NAME = (
    "on|in|at|of|for|to|from|and|or|with|by|near|per|across|around|into|is|are|was|were|has|have|had"
)
_WORD = r"[A-Za-z][A-Za-z'’-]*"
_HOUSE_BEFORE_POSTCODE = re.compile(
    rf"(?<![\w£$,.-])(?:(?:flat|apartment|apt|unit)\s+\d{{1,4}}[a-z]?,?\s+)?\d{{1,4}}[a-z]?"
    rf"(?:\s?[-–]\s?\d{{1,4}}[a-z]?)?,?\s+(?P<name>(?:(?!(?:{_NOT_IN_A_STREET_NAME})\b){_WORD}\s+){{0,3}})"
    rf"(?P<street>{_STREET_WORDS})\b\.?(?P<place>(?:[\s,]+{_WORD}){{0,6}})[\s,]*$",
    re.IGNORECASE,
)
_ADDRESS_REACH = 60


def _addresses(text: str) -> list[PersonalData]:
    found = []
    for postcode in _POSTCODE.finditer(text):
        start = _house_before(text, max(0, postcode.start() - _ADDRESS_REACH), postcode.start())
        if start is not None:
            found.append(_finding("address", text, start, postcode.end()))
    return found


def _house_before(text: str, reach: int, postcode: int) -> int | None:
    """Where the first house number written as a street address between reach and postcode starts."""
    while house := _HOUSE_BEFORE_POSTCODE.search(text, reach, postcode):
        if _written_as_a_street(house.group("name") + house.group("place"), house.group("street")):
            return house.start()
        reach = house.start() + 1
    return None


def _written_as_a_street(words: str, street: str) -> bool:
    """Whether the words of the street's name and of the place after it start in the case the street word
    does: "12 Acacia Avenue, Birmingham" and "12 acacia avenue, birmingham" are addresses, "12 people
    attended Council House" is a count."""
    return all(word[0].isupper() == street[0].isupper() for word in re.findall(r"[^\s,]+", words))


# Date of birth: a date within three words after "born", "DOB", "D.O.B", "date of birth" or "birthday".
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})(?!\d)"
)
_DATE_OF_BIRTH = re.compile(
    rf"\b(?:born|d\.?o\.?b|date\s+of\s+birth|birthday)\b\.?[\s:,(–-]*(?:[^\s.;!?\d]+\s+){{0,3}}"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)


def _dates_of_birth(text: str) -> list[PersonalData]:
    return [
        _finding("date_of_birth", text, m.start("date"), m.end("date"))
        for m in _DATE_OF_BIRTH.finditer(text)
        if _plausible_date(m.group("date"))
    ]


def _plausible_date(written: str) -> bool:
    """Whether a numeric date has a day and month that can be (a date in words always can)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
        month, day = int(written[5:7]), int(written[8:10])
    elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d+", written):
        day, month = int(match.group(1)), int(match.group(2))
    else:
        return True
    return 1 <= month <= 12 and 1 <= day <= 31


# Officer names: the full name, case-insensitively, as whole words.
def _officer_names(text: str, names: Iterable[str]) -> list[PersonalData]:
    if isinstance(names, str):
        names = (names,)
    wanted = {tuple(re.split(r"[(,]", name, maxsplit=1)[0].casefold().split()) for name in names}
    found = []
    for words in sorted(words for words in wanted if len(words) >= 2):
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
        found.extend(_finding("officer_name", text, m.start(), m.end()) for m in pattern.finditer(text))
    return found
