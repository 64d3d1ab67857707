"""The offline ``rules`` parser: plain CV text -> contract-shaped dict.

Works on text from any extractor (PDF text layer, DOCX, OCR), so it relies on
line structure and vocabularies, not on fonts or positions.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ..language import detect_language
from ..levels import degree_level
from .contacts import find_contacts, guess_location, guess_name, is_contact_segment, is_title_like, labelled, name_before_separator
from .dates import rejoin_wrapped_ranges
from .education import is_institution, parse_education
from .experience import move_home_city, parse_experience
from .forms import unlabel_form_rows
from .linebreaks import restore_line_breaks
from .lines import is_boilerplate, is_bullet, is_link_line
from .listings import languages_in_contact_lines, parse_certifications, parse_languages, parse_projects, parse_skills
from .sections import (
    CERTIFICATIONS,
    CONTACT,
    EDUCATION,
    EXPERIENCE,
    LANGUAGES,
    PREAMBLE,
    PROJECTS,
    SKILLS,
    SUMMARY,
    Section,
    header_kind,
    split_sections,
)

_WIDE_GAP = re.compile(r" {3,}| *\t[ \t]*")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_ENTRY_SECTIONS = {EXPERIENCE, EDUCATION, PROJECTS, CERTIFICATIONS}
_MAX_HEADLINE_WORDS = 10


def normalise_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\f", "\n")
    # Wide gaps align columns (title ... dates); keep them as tabs, a separator.
    text = _WIDE_GAP.sub("\t", text)
    return ["\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip() for line in text.splitlines()]


def _section_of_lines(lines: list[str]) -> list[str]:
    """Section kind of every line (header lines get the kind they open)."""
    kinds: list[str] = []
    current = PREAMBLE
    for line in lines:
        kind = header_kind(line) if line.strip() else None
        if kind is not None:
            current = kind
        kinds.append(current)
    return kinds


def _lines_of(sections: list[Section], *kinds: str) -> list[str]:
    return [line for s in sections if s.kind in kinds for line in s.lines if line.strip()]


def _recover_education(sections: list[Section]) -> list[Section]:
    """Split off an education block trailing the jobs when its header was lost.

    OCR sometimes garbles a header beyond recognition ("BSR" for "教育经历"); the
    degree line followed by a school line still marks where education starts.
    """
    out: list[Section] = []
    for section in sections:
        if section.kind == EXPERIENCE:
            lines = section.lines
            for k in range(len(lines) - 1):
                if not is_bullet(lines[k]) and degree_level(lines[k]) and is_institution(lines[k + 1]):
                    out.append(Section(EXPERIENCE, section.header, lines[:k]))
                    section = Section(EDUCATION, "", lines[k:])
                    break
        out.append(section)
    return out


def _headline_index(lines: list[str], name_index: int) -> int | None:
    for j in range(name_index + 1, min(len(lines), name_index + 3)):
        line = lines[j].strip()
        if not line:
            continue
        if header_kind(line) or is_contact_segment(line) or any(ch.isdigit() for ch in line):
            return None
        if is_title_like(line) or len(line.split()) <= _MAX_HEADLINE_WORDS and "|" not in line:
            return j
        return None
    return None


def parse(text: str, today: date | None = None) -> dict:
    """Parse CV text into the ``cv-data`` shape (before post-processing)."""
    today = today or date.today()
    text = restore_line_breaks(text)
    lines = ["" if is_boilerplate(ln) else ln for ln in unlabel_form_rows(rejoin_wrapped_ranges(normalise_lines(text)))]
    language = detect_language(text)
    contacts = find_contacts(text, language)

    kinds = _section_of_lines(lines)
    penalised = {i for i, kind in enumerate(kinds) if kind in _ENTRY_SECTIONS}
    name = headline = None
    contact_block: list[str] = []
    name_index = None
    # The header: everything above the first section (name, address, contacts), before any is blanked.
    header = lines[: next((i for i, ln in enumerate(lines) if ln.strip() and header_kind(ln)), len(lines))]
    if found := labelled(lines, "name"):
        name_index, name = found
    else:
        name_index = guess_name(lines, penalised, contacts.email)
        name = lines[name_index].strip() if name_index is not None else name_before_separator(lines)
    if name_index is not None and kinds[name_index] not in (PREAMBLE, CONTACT):
        # The name under a section header: a sidebar was read before the main column, whose top
        # (name, headline, location) ends the sidebar's last section. That block is the preamble.
        end = next((k for k in range(name_index + 1, len(lines)) if header_kind(lines[k])), len(lines))
        lines = lines[name_index:end] + lines[:name_index] + lines[end:]
        name_index = 0
    if name_index is not None:
        headline_index = _headline_index(lines, name_index)
        blank = {name_index}
        if headline_index is not None:
            headline = lines[headline_index].strip()
            blank.add(headline_index)
        # The lines right after the name and headline are often the contact line.
        after = max(blank) + 1
        contact_block = [ln for ln in lines[after : after + 2] if ln.strip() and not header_kind(ln)]
        lines = ["" if i in blank else line for i, line in enumerate(lines)]

    sections = _recover_education(split_sections([ln for ln in lines if ln.strip()]))
    # An address or URL inside jobs or schools (a footer, a link annotation
    # appended after the pages) is a contact, never an entry.
    sections = [
        s if s.kind in (PREAMBLE, CONTACT) else Section(s.kind, s.header, [ln for ln in s.lines if not is_link_line(ln)])
        for s in sections
    ]
    contact_block = _lines_of(sections, PREAMBLE, CONTACT) + contact_block
    location = guess_location(contact_block, {s for s in (name, headline) if s})

    experience = move_home_city(
        parse_experience(_lines_of(sections, EXPERIENCE), today, home=location), [*header, location or ""]
    )
    if headline is None and (found := labelled(contact_block, "headline")):
        headline = found[1]
    if headline is None and experience:
        headline = experience[0]["title"]
    summary = " ".join(_lines_of(sections, SUMMARY)) or None

    return {
        "language": language,
        "contact_info": {
            "name": name,
            "email": contacts.email,
            "phone": contacts.phone,
            "phone_e164": contacts.phone_e164,
            "location": location,
            "website": contacts.website,
            "linkedin": contacts.linkedin,
            "github": contacts.github,
        },
        "headline": headline,
        "summary": summary,
        "experience": experience,
        "education": parse_education(_lines_of(sections, EDUCATION), today),
        # Tools named under jobs are skills too; post-processing de-duplicates.
        "skills": parse_skills(_lines_of(sections, SKILLS)) + [t for job in experience for t in job["tech_tools"]],
        "languages": parse_languages(_lines_of(sections, LANGUAGES)) or languages_in_contact_lines(contact_block),
        "certifications": parse_certifications(_lines_of(sections, CERTIFICATIONS)),
        "projects": parse_projects(_lines_of(sections, PROJECTS), today),
    }
