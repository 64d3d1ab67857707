"""Dates and date ranges as printed in CVs, in English, Spanish, French and Chinese.

Handles "Jan 2020 – Present", "March 2017 to June 2019", "03/2019 - 12/2021",
"marzo 2021 – actualidad", "ene. 2020 - la fecha", "janv. 2020 – aujourd'hui",
"depuis 2020", "2020.01 - 至今", "2019年3月", year-only ranges and two-digit years.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january ene enero janv janvier",
        "feb february febrero fev fevr fevrier",
        "mar march marzo mars",
        "apr april abr abril avr avril",
        "may mayo mai",
        "jun june junio juin",
        "jul july julio juil juillet",
        "aug august ago agosto aout",
        "sep sept september set septiembre setiembre septembre",
        "oct october octubre octobre",
        "nov november noviembre novembre",
        "dec december dic diciembre decembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"

_PRESENT_WORDS = (
    r"present|current|currently|now|today|to date|ongoing|"
    r"actualidad|presente|la fecha|hoy|actual|"
    r"aujourd'hui|aujourd hui|ce jour|en cours|maintenant|"
    r"至今|现在|目前|今"
)

# A month-year token must not run on into a longer number or a full date
# ("2015-09-01"), but may be followed by a range dash ("2015.09-2019.06").
_NOT_CONTINUED = r"(?!\d)(?![./]\d)(?!-\d{1,2}(?![\d./]))"

_TOKEN = re.compile(
    rf"""
    (?P<ymd>(?<!\d)(?P<ymd_y>{_YEAR})[./-](?P<ymd_m>\d{{1,2}})[./-]\d{{1,2}}(?!\d))
  | (?P<dmy>(?<!\d)\d{{1,2}}[./-](?P<dmy_m>\d{{1,2}})[./-](?P<dmy_y>{_YEAR})(?!\d))
  | (?P<zh>(?P<zh_y>{_YEAR})\s*年\s*(?:(?P<zh_m>\d{{1,2}})\s*月)?)
  | (?P<ym>(?<!\d)(?P<ym_y>{_YEAR})\s?[./-]\s?(?P<ym_m>\d{{1,2}}){_NOT_CONTINUED})
  | (?P<my>(?<![\d./])(?P<my_m>\d{{1,2}})\s?[./-]\s?(?P<my_y>{_YEAR}|\d{{2}}){_NOT_CONTINUED})
  | (?P<named>\b(?P<named_m>{_MONTH_RE})\b\.?,?\s*(?:de\s+|del\s+)?(?P<named_y>{_YEAR}|'\d{{2}}|\d{{2}})(?!\d))
  | (?P<year>(?<![\d./])(?P<year_y>{_YEAR})(?![\d]))
  | (?P<present>(?<![a-z])(?:{_PRESENT_WORDS.replace(" ", r"[ ]")})(?![a-z]))
    """,
    re.VERBOSE,
)

_RANGE_SEP = re.compile(
    r"^\s*(?:[-‐‑–—~～]+|to|until|till|hasta|a|al|au|a la|jusqu'(?:a|au|en)|至|到|→)\s*$"
)
# A date followed by a dash and nothing else ("2021-03 —", "Mar 2021 –") is a range left open: still current.
_OPEN_END = re.compile(r"^\s*[-‐‑–—~～]+\s*$")
_SINCE = re.compile(r"(?:since|from|desde|depuis|des|a partir de|à partir de|自)\s*$")


# A score after these words is a grade, not a month and year ("GPA 3.87" is not March 1987).
_GRADE_LABEL = re.compile(r"(?:gpa|cgpa|grade|score|average|mark|nota|note|moyenne|media|绩点)\W{0,3}$")


def _is_grade(folded: str, tok: re.Match[str]) -> bool:
    return bool(tok.group("my")) and bool(_GRADE_LABEL.search(folded[max(0, tok.start() - 16) : tok.start()]))


@dataclass(frozen=True)
class DateRange:
    start: str | None
    end: str | None
    is_current: bool
    start_pos: int
    end_pos: int
    text: str


def _fold_same_length(text: str) -> str:
    """Lowercase and drop accents without changing character positions."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out).replace("\u2019", "'").replace("\u00a0", " ")


def _year(raw: str, today: date) -> int:
    raw = raw.lstrip("'")
    if len(raw) == 4:
        return int(raw)
    value = 2000 + int(raw)
    # Two-digit years: anything further than a few years ahead is last century.
    return value if value <= today.year + 5 else value - 100


def _format(year: int, month: int | None) -> str | None:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}"


def _token_value(m: re.Match[str], today: date) -> str | None:
    kind = m.lastgroup
    if m.group("ymd"):
        return _format(int(m.group("ymd_y")), int(m.group("ymd_m")))
    if m.group("dmy"):
        return _format(int(m.group("dmy_y")), int(m.group("dmy_m")))
    if m.group("zh"):
        month = m.group("zh_m")
        return _format(int(m.group("zh_y")), int(month) if month else None)
    if m.group("ym"):
        return _format(int(m.group("ym_y")), int(m.group("ym_m")))
    if m.group("my"):
        return _format(_year(m.group("my_y"), today), int(m.group("my_m")))
    if m.group("named"):
        return _format(_year(m.group("named_y"), today), _MONTHS[m.group("named_m")])
    if m.group("year"):
        return _format(int(m.group("year_y")), None)
    raise AssertionError(kind)


def parse_date(text: str, today: date | None = None) -> str | None:
    """The first date in ``text`` as YYYY-MM or YYYY (None if there is none)."""
    today = today or date.today()
    for m in _TOKEN.finditer(_fold_same_length(text)):
        if not m.group("present"):
            value = _token_value(m, today)
            if value:
                return value
    return None


def find_date_range(text: str, today: date | None = None) -> DateRange | None:
    """The first date range (or lone date) in a line.

    A lone date after "since/desde/depuis", or followed by a dash that ends
    the line, is an open range; any other lone date is returned as an end date
    (a graduation year, a one-month job).
    """
    today = today or date.today()
    folded = _fold_same_length(text)
    tokens = [tok for tok in _TOKEN.finditer(folded) if not _is_grade(folded, tok)]
    for i, tok in enumerate(tokens):
        if tok.group("present"):
            continue
        start = _token_value(tok, today)
        if start is None:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        gap = folded[tok.end() : nxt.start()] if nxt is not None else ""
        # "2020 至今" and "Jan 2020 to date" need no separator before the present word.
        if nxt is not None and (_RANGE_SEP.match(gap) or (nxt.group("present") and not gap.strip())):
            if nxt.group("present"):
                return DateRange(start, None, True, tok.start(), nxt.end(), text[tok.start() : nxt.end()])
            end = _token_value(nxt, today)
            if end is not None:
                return DateRange(start, end, False, tok.start(), nxt.end(), text[tok.start() : nxt.end()])
        if nxt is None and _OPEN_END.match(folded[tok.end() :]):
            return DateRange(start, None, True, tok.start(), len(text), text[tok.start() :])
        if _SINCE.search(folded[: tok.start()]):
            since = _SINCE.search(folded[: tok.start()])
            assert since is not None
            return DateRange(start, None, True, since.start(), tok.end(), text[since.start() : tok.end()])
        return DateRange(None, start, False, tok.start(), tok.end(), text[tok.start() : tok.end()])
    return None


def month_index(value: str, *, end: bool) -> int:
    """Months since year 0; a year-only value means January (start) or December (end)."""
    year = int(value[:4])
    month = int(value[5:7]) if len(value) > 4 else (12 if end else 1)
    return year * 12 + month - 1


def is_date_cell(text: str) -> bool:
    """Whether a table cell holds one date or a "present" word and nothing else ("May 2023", "Present")."""
    return bool(_TOKEN.fullmatch(_fold_same_length(text.strip().rstrip("."))))


# A start date and a range dash, maybe with the first characters of a word CJK line breaking cut ("至|今").
_OPEN_CELL = re.compile(r"^[^|\t]*\d[^|\t]*?\s*[-‐‑–—]+\s*(?P<part>[\u4e00-\u9fff]?)$")


def rejoin_wrapped_ranges(lines: list[str]) -> list[str]:
    """Put back date ranges a narrow dates column wrapped over two rows.

    moderncv and other grids print "Jul 2023 –" beside the entry's first line and the end date
    ("Present", "May 2023") beside its second, so read by rows the range is cut in two and the
    entry header has only an open start. A first cell that ends in a range dash, followed by a row
    whose first cell is a lone date, is one range: the end moves up to its start.
    """
    out = list(lines)
    for i in range(len(out) - 1):
        cells, following = out[i].split(" | ", 1), out[i + 1].split(" | ", 1)
        open_cell = _OPEN_CELL.match(cells[0]) if len(cells) == 2 else None
        if open_cell and is_date_cell(open_cell["part"] + following[0].strip()):
            out[i] = f"{cells[0]}{'' if open_cell['part'] else ' '}{following[0].strip()} | {cells[1]}"
            out[i + 1] = following[1] if len(following) == 2 else ""
    return out
