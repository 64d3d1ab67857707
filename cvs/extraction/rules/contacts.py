"""Contact details: e-mail, phone (E.164 via phonenumbers), LinkedIn, GitHub,
website, the candidate's name, headline and location."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from ..textnorm import compact, fold, has_han
from .sections import header_kind
from .skills import load_skills
from .vocab import COMPANY_SUFFIXES_ZH, LANGUAGE_NAMES, TITLE_SUFFIXES_ZH, TITLE_WORDS, words

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# OCR puts spaces around "@", or reads it as "0", "©" or "®" plus a space
# ("jane.doe0 gmail.com"); only tried when no clean address is found, and the
# second form only before a well-known mail provider.
_SPACED_EMAIL_RE = re.compile(r"([\w.+-]+) ?@ ?([\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,})")
_LOST_AT_RE = re.compile(
    r"([\w.+-]+?)[0©®]? +((?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|icloud|aol|gmx|proton|protonmail"
    r"|qq|163|126|sina|foxmail|free|orange|wanadoo|laposte|sfr|yandex|mail)\.[a-z]{2,3}(?:\.[a-z]{2})?)\b"
)
LINKEDIN_RE = re.compile(r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/[\w\-%.]+[\w/]", re.IGNORECASE)
GITHUB_RE = re.compile(r"(?:https?://)?(?:www\.)?github\.com/[\w\-]+", re.IGNORECASE)
URL_RE = re.compile(
    r"(?<![@\w.])(?:https?://|www\.)[^\s|,;]+"
    r"|(?<![@\w.])[\w-]+(?:\.[\w-]+)*\.(?:com|io|dev|me|net|org|es|fr|cn|co|app|site|page|tech|info|eu|uk)"
    r"(?:/[^\s|,;]*)?(?![\w@])",
    re.IGNORECASE,
)
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{5,}\d(?![\w])")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-–—/]\s*(?:(?:19|20)\d{2}|\d{2})\b")

# Region guesses for numbers printed without a country code, by CV language.
_REGIONS_BY_LANGUAGE = {"zh": ("CN",), "es": ("ES", "MX"), "fr": ("FR", "BE"), "en": ("US", "GB")}
_DEFAULT_REGIONS = ("US", "GB", "ES", "FR", "CN")

_LABEL_RE = re.compile(r"^[^:：]{2,25}[:：]")
_NAME_PARTICLES = words("de del la las los da das do dos du des le van von der den di y e bin ibn al el")
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.\-]*$")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:[·•][\u4e00-\u9fff]{1,4})?$")
# Most Chinese surnames; a 2-4 character line starting with one is a strong name candidate.
_ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_ZH_PLACE_SUFFIXES = ("市", "县", "省", "区", "镇", "州")


# "Nombre: Laura Gómez", "地址：深圳市", "Objective: Data Engineer".
_LABELS = {
    "name": r"name|full name|nombre|nombre completo|nombre y apellidos|nom|nom complet|nom et prénom|prénom et nom|姓名",
    "location": r"address|location|city|dirección|direccion|domicilio|ubicación|ubicacion|ciudad|adresse|localisation"
    r"|ville|地址|所在地|现居|现居住地|居住地|所在城市",
    "headline": r"objective|desired position|target role|position|puesto|puesto deseado|poste|poste recherché"
    r"|poste visé|求职意向|期望职位|应聘职位|目标职位",
}
_LABEL_RES = {kind: re.compile(rf"^\s*(?:{alts})\s*[:：]\s*(?P<value>\S.*?)\s*$", re.IGNORECASE) for kind, alts in _LABELS.items()}
# Document titles are name-shaped but never a name.
_DOCUMENT_TITLES = frozenset(
    compact(t) for t in ("curriculum vitae", "curriculum", "cv", "resume", "résumé", "hoja de vida", "lebenslauf",
                         "简历", "个人简历", "求职简历")
)


def labelled(lines: list[str], kind: str) -> tuple[int, str] | None:
    """The first "Label: value" line of a kind ("name", "location", "headline")."""
    pattern = _LABEL_RES[kind]
    for i, line in enumerate(lines):
        for segment in split_segments(line) or [line]:
            if m := pattern.match(segment):
                return i, m.group("value")
    return None


@dataclass
class Contacts:
    email: str | None = None
    phone: str | None = None
    phone_e164: str | None = None
    linkedin: str | None = None
    github: str | None = None
    website: str | None = None


def find_phone(text: str, language: str | None) -> tuple[str | None, str | None]:
    """The first phone number in ``text``: (as printed, E.164 when the country is known)."""
    regions = _REGIONS_BY_LANGUAGE.get(language or "", ()) + _DEFAULT_REGIONS
    for m in _PHONE_CANDIDATE.finditer(text):
        raw = m.group(0).strip(" -./")
        digits = re.sub(r"\D", "", raw)
        if not 7 <= len(digits) <= 15 or _YEAR_RANGE.search(raw):
            continue
        explicit = raw.startswith(("+", "00"))
        for region in (None,) if explicit else regions:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            # A printed country code tells the country even for an unassigned
            # (or made-up) range; without one we need a number valid there.
            ok = phonenumbers.is_possible_number(number) if explicit else phonenumbers.is_valid_number(number)
            if ok:
                return raw, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if len(digits) >= 9:
            return raw, None
    return None, None


def _normalise_url(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.rstrip("/.,;)"), flags=re.IGNORECASE)


# A profile URL wrapped in a narrow sidebar: "linkedin.com/in/jane-do" + "e".
_WRAPPED_URL = re.compile(r"((?i:linkedin|github)\.com/\S+)\n([a-z0-9\-_/]{1,8})(?=\n|$)")
# Browsers and word processors break a long slug after its hyphen ("linkedin.com/in/jane-" +
# "whitcombe (LinkedIn)"); the rest of the slug, lower case, starts the next line, whatever follows it.
_WRAPPED_AT_HYPHEN = re.compile(r"((?i:linkedin|github)\.com/\S+-)\n([a-z0-9][a-z0-9\-_]{0,60})(?=[\s(/]|$)")


# An address wrapped in a narrow sidebar after the "@": "jane.doe@exa" + "mple.com".
# An address wrapped in a narrow sidebar after the "@": "jane.doe@exa" + "mple.com", "jane@example." + "es".
_WRAPPED_EMAIL = re.compile(r"([\w.+-]+@[\w.-]*)\n((?:[\w-]*(?:\.[\w-]+)*\.)?[a-zA-Z]{2,})(?=\s|$)")


def _join_wrapped_email(m: re.Match[str]) -> str:
    joined = m.group(1) + m.group(2)
    return joined if not EMAIL_RE.fullmatch(m.group(1)) and EMAIL_RE.fullmatch(joined) else m.group(0)


def find_contacts(text: str, language: str | None) -> Contacts:
    contacts = Contacts()
    text = _WRAPPED_URL.sub(lambda m: m.group(0) if header_kind(m.group(2)) else m.group(1) + m.group(2), text)
    text = _WRAPPED_AT_HYPHEN.sub(lambda m: m.group(1) + m.group(2), text)
    text = _WRAPPED_EMAIL.sub(_join_wrapped_email, text)
    if m := EMAIL_RE.search(text):
        contacts.email = m.group(0)
    elif m := _SPACED_EMAIL_RE.search(text) or _LOST_AT_RE.search(text):
        contacts.email = f"{m.group(1)}@{m.group(2)}"
    contacts.phone, contacts.phone_e164 = find_phone(EMAIL_RE.sub(" ", URL_RE.sub(" ", text)), language)
    if m := LINKEDIN_RE.search(text):
        contacts.linkedin = _normalise_url(m.group(0))
    if m := GITHUB_RE.search(text):
        contacts.github = _normalise_url(m.group(0))
    without_emails = EMAIL_RE.sub(" ", text)
    for m in URL_RE.finditer(without_emails):
        url = m.group(0)
        if "linkedin.com" in url.lower() or "github.com" in url.lower():
            continue
        contacts.website = _normalise_url(url)
        break
    return contacts


def is_contact_segment(segment: str) -> bool:
    """Whether a piece of a contact line is an e-mail, phone or URL."""
    if EMAIL_RE.search(segment) or URL_RE.search(segment) or LINKEDIN_RE.search(segment):
        return True
    return len(re.sub(r"\D", "", segment)) >= 7


def is_title_like(line: str) -> bool:
    """Whether a short line reads as a job title."""
    if has_han(line):
        return any(s in line for s in TITLE_SUFFIXES_ZH) and len(line) <= 20
    words = fold(line).split()
    return 0 < len(words) <= 8 and any(w in TITLE_WORDS for w in words)


def _name_shape(line: str) -> bool:
    text = line.strip()
    if not text or len(text) > 40 or any(ch.isdigit() for ch in text) or "@" in text:
        return False
    if has_han(text):
        # "张伟", or "Zhang Wei 张伟" (romanised name printed alongside)
        han = re.sub(r"^(?:[A-Za-z]+\s+){1,3}|(?:\s+[A-Za-z]+){1,3}$", "", text)
        return bool(_HAN_NAME.match(han)) and not han.endswith(_ZH_PLACE_SUFFIXES)
    tokens = text.replace(",", " ").split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = 0
    for token in tokens:
        if token.lower() in _NAME_PARTICLES:
            continue
        if not _NAME_TOKEN.match(token):
            return False
        capitalised += 1
    return capitalised >= 2


def _is_excluded_word(line: str) -> bool:
    if compact(line) in _DOCUMENT_TITLES:
        return True
    key = fold(line)
    if header_kind(line) is not None or is_title_like(line):
        return True
    if key in LANGUAGE_NAMES or line in LANGUAGE_NAMES or any(s in line for s in COMPANY_SUFFIXES_ZH):
        return True
    return load_skills().lookup(line) is not None


def _email_affinity(name: str, email: str | None) -> float:
    if not email or has_han(name):
        return 0.0
    local = compact(email.split("@")[0])
    parts = [p for p in fold(name).split() if len(p) > 1 and p not in _NAME_PARTICLES]
    if not parts:
        return 0.0
    return sum(1 for p in parts if p in local) / len(parts)


def guess_name(lines: list[str], penalised: set[int], email: str | None) -> int | None:
    """Index of the line holding the candidate's name, or None.

    Candidates are name-shaped lines (capitalised words, or 2-4 Han characters);
    the score favours the top of the CV, a job title right below, and overlap
    with the e-mail's local part. Lines inside job/education sections are
    penalised: they hold company and school names of the same shape.
    """
    best: tuple[float, int] | None = None
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if not _name_shape(line) or _is_excluded_word(line):
            continue
        score = 0.0
        if seen <= 3:
            score += 3 - (seen - 1) * 0.5
        nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
        if is_title_like(nxt):
            score += 2
        score += 3 * _email_affinity(line, email)
        if has_han(line) and re.sub(r"^[A-Za-z ]+", "", line)[:1] in _ZH_SURNAMES:
            score += 1
        if i in penalised:
            # A line that spells the whole e-mail local part is the person, not a company, even
            # inside a section: a sidebar read first puts the main column's name under its last list.
            score -= 2 if _email_affinity(line, email) == 1 else 5
        if best is None or score > best[0]:
            best = (score, i)
    if best is None or best[0] < 1:
        return None
    return best[1]


def split_segments(line: str) -> list[str]:
    return [s.strip() for s in re.split(r"\s*[|•·▪\t]\s*|\s{3,}", line) if s.strip()]


def guess_location(lines: list[str], skip: set[str]) -> str | None:
    """A labelled address, or a short non-contact segment of the contact block
    (e.g. "Madrid", "惠州县")."""
    if found := labelled(lines, "location"):
        return found[1]
    for line in lines:
        for segment in split_segments(line):
            if _LABEL_RE.match(segment):
                continue  # another labelled field ("Phone: ...", "Nacionalidad: ...")
            if segment in skip or is_contact_segment(segment) or header_kind(segment):
                continue
            words = segment.split()
            if not words or len(words) > 6 or len(segment) > 50 or is_title_like(segment):
                continue
            if any(ch.isdigit() for ch in segment) and not re.search(r"[A-Za-z\u4e00-\u9fff]{3}", segment):
                continue
            if segment.endswith((".", "。")):
                continue
            return segment.strip(" ,")
    return None


def name_before_separator(lines: list[str]) -> str | None:
    """A name that opens one of the first lines before a separator ("Jane Roe | UX Designer").

    Headers such as moderncv's banking style print the name and the title on one display line;
    the whole line is not name-shaped, its first segment is.
    """
    for line in [ln for ln in lines if ln.strip()][:3]:
        segments = split_segments(line)
        if len(segments) > 1 and _name_shape(segments[0]) and not _is_excluded_word(segments[0]):
            return segments[0]
    return None
