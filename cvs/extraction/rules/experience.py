"""Jobs: title, company, location, dates, tasks and tools.

Entries are anchored on their date lines. Whether a job's heading comes before
its dates ("Title — Company" then "2020 – 2022") or after them (a dates column
in a table, read first) is learnt from the first entry of the section, then
the heading is taken from the one or two heading-like lines on that side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..textnorm import fold, has_han
from .dates import DateRange, find_date_range
from .lines import is_bullet, is_sentence, is_tools_line, split_items, strip_bullet, strip_label
from .sections import header_kind
from .skills import load_skills
from .vocab import COMPANY_SUFFIXES, COMPANY_SUFFIXES_ZH, TITLE_SUFFIXES_ZH, TITLE_WORDS

# "Title at Company": connectors by language, strongest first.
_CONNECTORS = (r"\s+(?:at|@|chez|bei|presso)\s+", r"\s+(?:en|para)\s+", r"\s*在\s*")
_SEPARATORS = re.compile(r"\s+[—–\-|·/]\s+|\s*[|｜]\s*|\t|\s{3,}|\s*[—–]\s*")
_MAX_HEADING_LINES = 2


@dataclass
class Job:
    title: str | None = None
    company: str | None = None
    location: str | None = None
    period: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    is_current: bool = False
    tasks: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    tech_tools: list[str] = field(default_factory=list)
    heading: str | None = None  # the heading as printed, when on one line (not reported)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "company": self.company,
            "location": self.location,
            "period": self.period,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "is_current": self.is_current,
            "description": " ".join(self.description) or None,
            "tasks": self.tasks,
            "tech_tools": self.tech_tools,
        }


def _title_score(text: str) -> int:
    if has_han(text):
        return sum(2 for suffix in TITLE_SUFFIXES_ZH if text.endswith(suffix) or suffix in text)
    return sum(1 for word in fold(text).split() if word in TITLE_WORDS)


def _company_score(text: str) -> int:
    if has_han(text):
        return 3 if any(text.endswith(s) for s in COMPANY_SUFFIXES_ZH) else 0
    lowered = text.lower().rstrip()
    tokens = lowered.replace(",", " ").split()
    if any(lowered.endswith(" " + s) or (tokens and tokens[-1] == s) for s in COMPANY_SUFFIXES):
        return 3
    return 0


def _title_first(a: str, b: str) -> bool:
    """Whether ``a`` is the title and ``b`` the company (else the reverse)."""
    diff = (_title_score(a) - _company_score(a)) - (_title_score(b) - _company_score(b))
    return diff >= 0


def split_heading(parts: list[str]) -> tuple[str | None, str | None]:
    """(title, company) from one or two heading lines."""
    parts = [p.strip(" ,;|") for p in parts if p.strip(" ,;|")]
    if not parts:
        return None, None
    if len(parts) >= 2:
        a, b = parts[0], parts[1]
        if _SEPARATORS.search(a) and not _SEPARATORS.search(b):
            return split_heading([a])
        return (a, b) if _title_first(a, b) else (b, a)
    text = parts[0]
    if at := at_heading(text):
        return at
    if has_han(text) and _TITLE_COMPANY_PLACE.fullmatch(text):
        # "数据工程师, 某某有限公司, 北京": three fields, before connectors or a company suffix cut elsewhere.
        a, b = (p.strip() for p in text.split(", ", 1))
        return (a, b) if _title_first(a, b) else (b, a)
    for connector in _CONNECTORS:
        matches = [m for m in re.finditer(connector, text) if m.start() > 0 and m.end() < len(text)]
        # The last connector followed by a capitalised word: "Especialista en datos en Acme".
        for m in reversed(matches):
            rest = text[m.end() :]
            if rest[:1].isupper() or rest[:1].isdigit() or has_han(rest[:1]):
                return text[: m.start()].strip(), rest.strip()
    pieces = [p for p in _SEPARATORS.split(text, maxsplit=1) if p.strip()]
    if len(pieces) == 1 and has_han(text):
        # OCR reads a dash between Han words as "一"; the company suffix still
        # shows where the company name ends.
        pieces = _split_after_company_zh(text)
    if len(pieces) == 1 and ", " in text:
        # "Product Manager, Monzo Bank": a comma separates only when one side
        # reads as a title ("Smith, Jones and Partners" is one company).
        head, _, tail = text.partition(", ")
        if _title_score(head) > 0 or _title_score(tail) > 0:
            pieces = [head, tail]
        elif _TITLE_COMPANY_PLACE.fullmatch(text):
            # "Conducteur de travaux, Mutuelle Orvault, Genève": LaTeX classes (moderncv's \cventry)
            # print title, employer and city as three short comma-separated fields, in that order.
            pieces = [head, tail]
    if len(pieces) == 2:
        a, b = pieces[0].strip(), pieces[1].strip()
        return (a, b) if _title_first(a, b) else (b, a)
    if _company_score(text) > _title_score(text):
        return None, text
    return text, None


_AT = re.compile(r"\s+(?:at|@)\s+")
# Three short fields without digits: "Title, Employer, City".
_TITLE_COMPANY_PLACE = re.compile(r"[^,\d]{2,50}, [^,\d]{2,50}, [^,\d\s]+(?: [^,\d\s]+)?")
_MAX_AT_HEADING_WORDS = 16


def at_heading(text: str) -> tuple[str, str] | None:
    """(title, company) of a "Title at Company" heading, else None.

    The heading form of LinkedIn and many templates. The company may start in
    lower case ("Account Manager at eg+ worldwide"), so the title side must read
    as a title and the line must not be prose.
    """
    text = text.strip()
    if len(text.split()) > _MAX_AT_HEADING_WORDS or text.endswith(".") or is_bullet(text):
        return None
    found = list(_AT.finditer(text))
    if not found:
        return None
    m = found[-1] if found[-1].end() < len(text) else None
    if m is None or m.start() == 0:
        return None
    title, company = text[: m.start()].strip(" ,"), text[m.end() :].strip(" ,")
    if not company or not (_title_score(title) or title[:1].isupper()):
        return None
    return title, company


def _split_after_company_zh(text: str) -> list[str]:
    for suffix in COMPANY_SUFFIXES_ZH:
        pos = text.find(suffix)
        if pos > 0 and pos + len(suffix) < len(text):
            cut = pos + len(suffix)
            return [text[:cut], text[cut:].lstrip("一-—–|: ")]
    return [text]


def _heading_like(line: str) -> bool:
    # "Growth product manager, Jobs marketplace at Acme" is long but still a heading;
    # a line carrying a URL ("We are hiring: https://…") is body text.
    if _URL_IN_LINE.search(line):
        return False
    return at_heading(line) is not None or not (is_bullet(line) or is_sentence(line) or is_tools_line(line))


_MAX_HALF_HEADING_WORDS = 7


def _role(text: str) -> int:
    """> 0 reads as a title, < 0 as a company, 0 either."""
    return _title_score(text) - _company_score(text)


def _complements(a: str, b: str) -> bool:
    """Two lines that can be one heading's title and company: not two titles (a title-only entry
    over its description's first line) nor two companies."""
    return not (_role(a) > 0 and _role(b) > 0) and not (_role(a) < 0 and _role(b) < 0)


def _heading_half(line: str) -> bool:
    """A short heading-like line that can complete a one-part heading (a title, a company)."""
    text = line.strip()
    return (
        0 < len(text.split()) <= _MAX_HALF_HEADING_WORDS
        and not text.endswith((".", ":"))
        and _heading_like(text)
        and not _DURATION.fullmatch(text)
    )


_URL_IN_LINE = re.compile(r"https?://|www\.|@\w+\.\w", re.IGNORECASE)
_OPEN_END = re.compile(r"[^.!?:;。！？：；)]$")


def is_continuation(line: str, previous: str | None) -> bool:
    """The wrapped tail of the body line above ("… to create new app and" / "software.").

    Body text that wraps leaves a short line that looks like a heading; it
    follows a long line left open (no final punctuation) and itself starts in
    lower case or closes the sentence.
    """
    if previous is None or has_han(line) or not _OPEN_END.search(previous.rstrip()):
        return False
    if not (is_bullet(previous) or is_sentence(previous) or len(previous.split()) >= 8):
        return False
    text = line.strip()
    return text[:1].islower() or text.endswith(".")


_MAX_ANCHOR_WORDS = 10
_MAX_ANCHOR_WORDS_BULLET = 6


def _date_line(line: str, today: date) -> DateRange | None:
    found = find_date_range(line, today)
    if found is None:
        return None
    # A job's dates are a range (or "since X"); a lone year is rarely a job line.
    if found.start is None and not found.is_current:
        return None
    # Dates inside prose ("revenue in Jan-Jun 2017", "- Led the 2019 - 2020 rollout of …") are
    # achievements, not entry boundaries: an entry's date line is mostly dates and a heading.
    rest = len(line[: found.start_pos].split()) + len(line[found.end_pos :].split())
    if rest > (_MAX_ANCHOR_WORDS_BULLET if is_bullet(line) else _MAX_ANCHOR_WORDS):
        return None
    return found


# "(4 years 2 months)", "(2 años)", "(3 ans 1 mois)", "(1年3个月)" after a range (LinkedIn exports).
_DURATION = re.compile(
    r"[(（]?\s*\d+\s*(?:years?|yrs?|months?|mos?|años?|meses|mes|ans?|mois|年|个月|月)"
    r"(?:\s*(?:and|y|et)?\s*\d+\s*(?:months?|mos?|meses|mes|mois|个月|月))?\s*[)）]?",
    re.IGNORECASE,
)


def _split_date_line(line: str, found: DateRange) -> tuple[str, str]:
    """Text before the dates (a heading) and after them (usually the location)."""
    before = line[: found.start_pos].strip(" \t|,–—-()[]")
    after = _DURATION.sub("", line[found.end_pos :]).strip(" \t|,–—-·()[]")
    return before, after


def _split_like_the_others(jobs: list[Job]) -> None:
    """Split "Title, Company" headings the way the section's other headings were split.

    A comma splits a heading only when one side reads as a title, so a title outside our
    vocabularies ("Conducteur de travaux, Éditions Calame") stays whole; when at least as many of
    the section's entries were "Title, Company" lines, the template prints every entry so.
    """
    split = [job for job in jobs if job.title and job.company and job.heading == f"{job.title}, {job.company}"]
    whole = [job for job in jobs if job.company is None and job.title and job.title.count(", ") == 1]
    if not split or not whole or len(split) < len(whole):
        return
    for job in whole:
        assert job.title is not None  # in ``whole`` only with a title
        job.title, job.company = (part.strip() for part in job.title.split(", "))


def _several_words(text: str) -> bool:
    """More than one word; Chinese writes a title or a company as one run of characters."""
    return len(text.split()) > 1 or (has_han(text) and len(text.strip()) >= 3)



_PLACE_SEPARATOR = re.compile(r"\s+[|—–·\-]\s+|\s*[|—–]\s*|,\s+")
# The closing dash of a job-board export's "Employer - City, State -".
_BOARD_TAIL = re.compile(r"\s+[-–]\s*$")
# "Portland, OR", "Leeds, UK": a place followed by a region or country code.
_PLACE_WITH_CODE = re.compile(r"[A-ZÀ-Ý][\w .'’\-]+,\s*[A-Z]{2,3}")


def _split_places(jobs: list[Job], home: str | None) -> None:
    """Move a place printed after the company ("Acme Ltd | Leeds", "Acme — Toronto") to the location.

    Without a gazetteer the tail is a place only on evidence from the CV itself: it is (the first
    part of) the candidate's own location, it follows two different companies of the section, or
    it reads "City, XX". Anything else ("Smith, Jones and Partners") stays in the company.
    """
    own = {fold(part) for part in re.split(r"[,|/·]", home or "") if part.strip()}
    # Job-board exports print "Employer - City, State -": the closing dash marks the tail as the place.
    board_style: set[int] = set()
    for index, job in enumerate(jobs):
        if job.company and _BOARD_TAIL.search(job.company):
            job.company = _BOARD_TAIL.sub("", job.company)
            board_style.add(index)
    halves = [_PLACE_SEPARATOR.split(job.company, maxsplit=1) if job.company else [] for job in jobs]
    heads_by_tail: dict[str, set[str]] = {}
    for parts in halves:
        if len(parts) == 2:
            heads_by_tail.setdefault(fold(parts[1]), set()).add(fold(parts[0]))
    for index, (job, parts) in enumerate(zip(jobs, halves, strict=True)):
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            continue
        head, tail = parts[0].strip(), parts[1].strip()
        if (
            (index in board_style and "," in tail)
            or fold(tail.split(",")[0]) in own
            or (len(heads_by_tail[fold(tail)]) >= 2 and fold(tail) not in COMPANY_SUFFIXES)
            or _PLACE_WITH_CODE.fullmatch(tail)
        ):
            job.company, job.location = head, job.location or tail


def parse_experience(lines: list[str], today: date, home: str | None = None) -> list[dict]:
    """Jobs of an experience section; ``home`` is the candidate's own location (places after companies)."""
    lines = [ln for ln in lines if ln.strip()]
    dated = [(i, _date_line(ln, today)) for i, ln in enumerate(lines)]
    anchors = [(i, d) for i, d in dated if d is not None]
    if not anchors:
        return []
    first = anchors[0][0]
    headings_before = any(_heading_like(ln) for ln in lines[:first])
    consumed: set[int] = {i for i, _ in anchors}
    jobs: list[tuple[int, int, Job]] = []  # (first line, last heading line, job)
    for n, (i, found) in enumerate(anchors):
        before, after = _split_date_line(lines[i], found)
        heading: list[str] = []
        span = [i, i]
        if after and not before and (_title_score(after) or _company_score(after) or _TITLE_COMPANY_PLACE.fullmatch(after)):
            # "2019.03-2021.06  Company Ltd  Engineer": the heading follows the dates.
            heading, after = [after], ""
        elif before and _SEPARATORS.search(before) or (before and not after and _several_words(before)):
            heading = [before]
        elif headings_before:
            j = i - 1
            while j >= 0 and j not in consumed and len(heading) < _MAX_HEADING_LINES and _heading_like(lines[j]):
                if is_continuation(lines[j], lines[j - 1] if j else None):
                    break
                heading.insert(0, lines[j])
                consumed.add(j)
                span[0] = j
                j -= 1
                if at_heading(heading[0]):
                    break  # "Title at Company" is a whole heading; the line above belongs to the previous entry
        else:
            j = i + 1
            limit = anchors[n + 1][0] if n + 1 < len(anchors) else len(lines)
            while j < limit and len(heading) < _MAX_HEADING_LINES and _heading_like(lines[j]):
                heading.append(lines[j])
                consumed.add(j)
                span[1] = j
                j += 1
        title, company = split_heading(heading)
        below = i + 1
        if (
            heading
            and (title is None) != (company is None)
            and span[1] == i
            and below < len(lines)
            and below not in consumed
            # With headings above their dates, a line right over the next dates is that entry's heading.
            and (n + 1 == len(anchors) or anchors[n + 1][0] > below + (1 if headings_before else 0))
            and _heading_half(lines[below])
            and _complements(title or company or "", lines[below].strip())
        ):
            # "Company" or "Company | dates" above, the title on the line below the dates (or the
            # reverse): the heading is split around the dates. The line with the stronger title
            # words is the title; on a tie the line below is, the usual order of such templates.
            known, other = title or company or "", lines[below].strip()
            title, company = (known, other) if _role(known) > _role(other) else (other, known)
            consumed.add(below)
            span[1] = below
        above = lines[i - 1].split(" | ") if i else []
        if (
            heading
            and (title is None) != (company is None)
            and span == [i, i]
            and i - 1 not in consumed
            and 0 < len(above) <= 2
            and not any(header_kind(cell) for cell in above)
            and _heading_half(above[0])
            # a heading half starts capitalised; a fragment (".fr", a wrapped e-mail's end) does not
            and above[0].strip()[:1].isalnum()
            and not above[0].strip()[:1].islower()
            and _complements(title or company or "", above[0].strip())
        ):
            # "Company | City" over "Title | dates" (moderncv banking, "Company — City" templates):
            # the heading is split around the dates the other way; the cell beside the company is
            # its location. On a tie the date line's half is the title (the company line comes first).
            known, other = title or company or "", above[0].strip()
            title, company = (known, other) if _role(known) >= _role(other) else (other, known)
            after = after or (above[1].strip() if len(above) == 2 else "")
            consumed.add(i - 1)
            span[0] = i - 1
        job = Job(
            title=title,
            company=company,
            location=after or None,
            period=found.text.strip(),
            start_date=found.start,
            end_date=found.end,
            is_current=found.is_current,
            heading=heading[0].strip(" ,;|") if len(heading) == 1 else None,
        )
        jobs.append((span[0], span[1], job))

    # Body lines belong to the job whose heading/dates precede them.
    skills = load_skills()
    for n, (_, last, job) in enumerate(jobs):
        end = jobs[n + 1][0] if n + 1 < len(jobs) else len(lines)
        for k in range(last + 1, end):
            if k in consumed:
                continue
            line = lines[k]
            if is_tools_line(line):
                for item in split_items(strip_label(strip_bullet(line))):
                    name = skills.lookup(item)
                    if name and name not in job.tech_tools:
                        job.tech_tools.append(name)
            elif is_bullet(line):
                job.tasks.append(strip_bullet(line))
            else:
                job.description.append(line.strip())
    _split_like_the_others([job for _, _, job in jobs])
    _split_places([job for _, _, job in jobs], home)
    named = [job for _, _, job in jobs if job.company]
    if named:
        # A title-only entry among named jobs ("Owner", "Cadet") is not an employer to report; when no
        # entry has a company the layout hid it from us, and the titles are still worth keeping.
        return [job.as_dict() for job in named]
    return [job.as_dict() for _, _, job in jobs]


def move_home_city(jobs: list[dict], header_lines: list[str]) -> list[dict]:
    """Take the CV's own city off the end of company names ("Harbourline Health, Toronto").

    LaTeX classes and job boards print "Company, City" as one field; when that city is one the CV's
    header names (the candidate's address), it is the job's location, not part of the employer.
    """
    places = {fold(part) for line in header_lines for part in re.split(r"[,|•·\t–]", line) if part.strip()}
    # A tail several employers share is a place too ("…, Genève" on every job), unless it is a legal form.
    tails = [fold((job.get("company") or "").rpartition(",")[2]) for job in jobs if "," in (job.get("company") or "")]
    places |= {t for t in tails if t and tails.count(t) > 1 and t not in COMPANY_SUFFIXES}
    for job in jobs:
        company = job.get("company") or ""
        head, sep, tail = company.rpartition(",")
        if sep and head.strip() and fold(tail) in places:
            job["company"] = head.strip()
            job["location"] = job.get("location") or tail.strip()
    return jobs
