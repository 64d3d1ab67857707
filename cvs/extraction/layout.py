"""Reading order for positioned text lines (PDF text layers).

CV templates put a sidebar (contacts, skills, languages) next to the main column.
PDF content streams do not promise any order, and sorting by ``y`` interleaves
the two columns line by line, which destroys sections. We look for a vertical
gutter that most lines respect, then emit each column top to bottom. Lines that
cross the gutter (a full-width name banner, a footer) split the page into bands
so that text above a two-column area stays above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A run of one font within a line: [start, end) offsets into the line's text and its box.
Piece = tuple[int, int, float, float, float, float]
ROW_SEPARATOR = " | "


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    # Where the line's characters are drawn (for evidence boxes); not part of a line's identity.
    pieces: tuple[Piece, ...] = field(default=(), compare=False)


# A gutter narrower than this (in points) is just word spacing.
_MIN_GUTTER = 8.0
# Each side of a gutter must hold at least this share of the text.
_MIN_SIDE_SHARE = 0.08
# Lines crossing the gutter must be rare, or it is not a column layout.
_MAX_CROSSING_SHARE = 0.2
# When most lines of one side sit on the baseline of a line of the other side,
# the page is a grid (date | description rows), which reads row by row.
_MAX_ROW_ALIGNMENT = 0.6
_SPARSE_GAP_FACTOR = 2.0


def _longest_run(values: list[int], start: int, end: int, ceiling: int) -> tuple[int, int]:
    best = (start, start)
    run_start = None
    for i in range(start, end + 1):
        inside = i < end and values[i] <= ceiling
        if inside and run_start is None:
            run_start = i
        elif not inside and run_start is not None:
            if i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    return best


def _find_gutter(lines: list[Line]) -> tuple[float, float] | None:
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = int(right - left) + 1
    if width < 3 * _MIN_GUTTER:
        return None
    coverage = [0] * width
    for ln in lines:
        for x in range(int(ln.x0 - left), min(width, int(ln.x1 - left) + 1)):
            coverage[x] += 1
    limit = max(1, int(len(lines) * _MAX_CROSSING_SHARE))
    total_chars = sum(len(ln.text) for ln in lines)
    best: tuple[float, float, float] | None = None  # (score, g0, g1)
    x = 0
    while x < width:
        if coverage[x] > limit:
            x += 1
            continue
        start = x
        while x < width and coverage[x] <= limit:
            x += 1
        if start == 0 or x >= width:
            continue  # margins are not gutters
        # Ragged line ends make the low-coverage run spill into a column; the
        # gutter proper is the emptiest stretch inside it. A centred subtitle
        # that ends inside the gutter narrows that stretch to a few points, so
        # the stretch with one more line over it is a candidate too.
        floor = min(coverage[start:x])
        for ceiling in (floor, floor + 1):
            core_start, core_end = _longest_run(coverage, start, x, ceiling)
            g0, g1 = left + core_start, left + core_end
            if g1 - g0 < _MIN_GUTTER:
                continue
            left_chars = sum(len(ln.text) for ln in lines if ln.x1 <= g0 + 1)
            right_chars = sum(len(ln.text) for ln in lines if ln.x0 >= g1 - 1)
            if min(left_chars, right_chars) < total_chars * _MIN_SIDE_SHARE:
                continue
            crossing = max(coverage[core_start:core_end])
            score = (g1 - g0) / (1 + crossing)
            if best is None or score > best[0]:
                best = (score, g0, g1)
    return None if best is None else (best[1], best[2])


def _row_aligned(left: list[Line], right: list[Line]) -> bool:
    """A grid (a dates column beside entries) rather than two text columns.

    In a grid the sparser side's lines sit on baselines of the other side and
    are spaced far apart (one per entry). A sidebar is dense text; its lines
    may share baselines with the main column by accident of equal leading.
    """
    small, big = sorted((left, right), key=len)
    if len(small) < 2:
        return False
    aligned = sum(1 for a in small if any(_same_row(a, b) for b in big))
    if aligned / len(small) <= _MAX_ROW_ALIGNMENT:
        return False
    ys = sorted(ln.y1 for ln in small)
    gaps = sorted(b - a for a, b in zip(ys, ys[1:], strict=False))
    heights = sorted(ln.y1 - ln.y0 for ln in small)
    return gaps[len(gaps) // 2] > _SPARSE_GAP_FACTOR * heights[len(heights) // 2]


# A form's label column: labels set flush right against the gutter, each on the row of its value.
_LABEL_FLUSH_SHARE = 0.8
_LABEL_FLUSH_LEFT_SHARE = 0.5


def _label_column(left: list[Line], right: list[Line]) -> bool:
    """Field labels beside their values (the classic Europass CV), read row by row: "Dates | 2019 – 2021".

    A sidebar is set flush left; labels are set flush right (ragged on the left), and most values
    start on a label's row. Read as a column, the labels would all come before all the values.
    """
    if len(left) < 2 or not right:
        return False
    edge, start = max(ln.x1 for ln in left), min(ln.x0 for ln in left)
    flush_right = sum(1 for ln in left if edge - ln.x1 <= 2.0)
    # Ragged on the left: a justified or equal-width column is flush on both sides.
    flush_left = sum(1 for ln in left if ln.x0 - start <= 2.0)
    if flush_right < _LABEL_FLUSH_SHARE * len(left) or flush_left > _LABEL_FLUSH_LEFT_SHARE * len(left):
        return False
    aligned = sum(1 for value in right if any(_same_row(label, value) for label in left))
    return aligned > _MAX_ROW_ALIGNMENT * len(right)


def _same_row(a: Line, b: Line) -> bool:
    """On one baseline, or on one row in different font sizes (a company name in 12 pt, its dates
    right-aligned in 9 pt): each line's middle lies within the other's height. Lines of running
    text never do, their leading being at least their height."""
    return abs(a.y1 - b.y1) < 1.5 or (a.y0 <= _middle(b) <= a.y1 and b.y0 <= _middle(a) <= b.y1)


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Plain top-to-bottom order; lines on one row are read left to right."""
    out: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (round(ln.y1), ln.x0)):
        if out and (abs(out[-1][-1].y1 - ln.y1) < 2.0 or _same_row(out[-1][-1], ln)):
            out[-1].append(ln)
        else:
            out.append([ln])
    return [sorted(row, key=lambda ln: ln.x0) for row in out]


# Section labels in a margin ("Work", "Education" left of their entries) are short and sparse.
_LABEL_MAX_WORDS = 3
_LABEL_MAX_CHARS = 30
_LABEL_SPACING = 2.0  # consecutive labels at least this many label heights apart (sidebar lines are denser)
_MAX_LABEL_SHARE = 0.25


def _short(line: Line) -> bool:
    return len(line.text.split()) <= _LABEL_MAX_WORDS and len(line.text) <= _LABEL_MAX_CHARS


def _margin_labels(lines: list[Line]) -> list[Line]:
    """Section labels set in a margin left of the content, or [] when the page has none.

    Each label sits on the row of the first line of its section, often a little lower (a larger
    font, centred); read by rows it would follow that line, and read as a sidebar all labels would
    come first. They are short, sparse, alone left of everything else, and each is on a content row.
    """
    long = [ln for ln in lines if not _short(ln)]
    if not long:
        return []
    content_left = min(ln.x0 for ln in long)
    # Labels are words: a column of dates beside entries is a grid, read row by row (_row_aligned).
    labels = sorted(
        (ln for ln in lines if ln.x1 <= content_left - _MIN_GUTTER and not any(ch.isdigit() for ch in ln.text)),
        key=lambda ln: ln.y0,
    )
    if not labels or len(labels) > len(lines) * _MAX_LABEL_SHARE:
        return []
    others = [ln for ln in lines if ln not in labels]
    margin = max(ln.x1 for ln in labels) + _MIN_GUTTER
    if any(ln.x0 < margin for ln in others):
        return []
    height = max(ln.y1 - ln.y0 for ln in labels)
    if any(b.y0 - a.y0 < _LABEL_SPACING * height for a, b in zip(labels, labels[1:], strict=False)):
        return []
    if not all(any(lab.y0 <= _middle(ln) <= lab.y1 for ln in others) for lab in labels):
        return []
    return labels


# A name set in display type is at least this many times the height of the page's usual line.
_BANNER_FACTOR = 1.8


def _banner(lines: list[Line]) -> Line | None:
    """The name banner when a contact block sits on its row, else None.

    moderncv and other LaTeX classes set the name in display type at the top left with the contact
    details right-aligned beside it in small type; their rows overlap, so read by rows the name
    would be joined to a phone number or come after the city. The tallest line, in the top of the
    page, far taller than the usual line and sharing its row with other lines, is read first.
    """
    heights = sorted(ln.y1 - ln.y0 for ln in lines)
    usual = heights[len(heights) // 2]
    top = min(ln.y0 for ln in lines)
    tallest = max(lines, key=lambda ln: ln.y1 - ln.y0)
    if tallest.y1 - tallest.y0 < _BANNER_FACTOR * usual or tallest.y0 > top + 8 * usual:
        return None
    if any(ln.y1 - ln.y0 >= 0.8 * (tallest.y1 - tallest.y0) for ln in lines if ln is not tallest):
        return None  # several lines in display type: a layout of its own, not one banner
    beside = [ln for ln in lines if ln is not tallest and ln.y0 < tallest.y1 and ln.y1 > tallest.y0]
    return tallest if beside else None


def _banner_block(banner: Line, lines: list[Line]) -> list[Line]:
    """The banner and the lines set tight under it, flush with it (a headline, a location).

    They belong to the name, not to whatever column is read first: in a sidebar layout whose main
    column starts with the name, read without them they would end the sidebar's last list. The block
    stops at a gap of a line's spacing, at an unaligned line, or at a taller line (a section heading).
    """
    heights = sorted(ln.y1 - ln.y0 for ln in lines)
    usual = heights[len(heights) // 2]
    below = sorted(
        (ln for ln in lines if ln is not banner and ln.y0 >= banner.y1 - 1 and ln.x0 < banner.x1 and ln.x1 > banner.x0),
        key=lambda ln: ln.y0,
    )
    block = [banner]
    for line in below:
        if abs(line.x0 - banner.x0) > 2 or line.y0 - block[-1].y1 > 0.75 * usual or line.y1 - line.y0 > 1.3 * usual:
            break
        block.append(line)
    return block


def order_lines(lines: list[Line]) -> tuple[list[str], bool]:
    """Return the lines' texts in reading order and whether columns were found."""
    rows, columns = order_rows(lines)
    return [row_text(row) for row in rows], columns


def row_text(row: list[Line]) -> str:
    return ROW_SEPARATOR.join(ln.text for ln in row)


def order_rows(lines: list[Line], depth: int = 0) -> tuple[list[list[Line]], bool]:
    """The lines in reading order, grouped in rows (one output line each), and whether columns were found."""
    if depth == 0 and len(lines) >= 4 and (banner := _banner(lines)):
        block = _banner_block(banner, lines)
        rows, columns = order_rows([ln for ln in lines if all(ln is not b for b in block)], depth + 1)
        return [*([ln] for ln in block), *rows], columns
    if len(lines) < 4 or depth > 3:
        return _rows(lines), False
    if labels := _margin_labels(lines):
        # Each label opens the content from its row down to the next label's row.
        others = [ln for ln in lines if ln not in labels]
        out: list[list[Line]] = []
        columns = False
        for top, label, bottom in zip(
            [float("-inf"), *(lab.y0 for lab in labels)], [None, *labels], [*(lab.y0 for lab in labels), float("inf")],
            strict=True,
        ):
            if label is not None:
                out.append([label])
            band = [ln for ln in others if top <= _middle(ln) < bottom]
            if band:
                texts, band_columns = order_rows(band, depth + 1)
                out.extend(texts)
                columns = columns or band_columns
        return out, columns
    gutter = _find_gutter(lines)
    if gutter is None:
        return _rows(lines), False
    g0, g1 = gutter
    crossing = [ln for ln in lines if ln.x0 < g0 - 1 and ln.x1 > g1 + 1]
    sides = [ln for ln in lines if ln not in crossing]
    left = [ln for ln in sides if (ln.x0 + ln.x1) / 2 < (g0 + g1) / 2]
    right = [ln for ln in sides if (ln.x0 + ln.x1) / 2 >= (g0 + g1) / 2]
    if _row_aligned(left, right) or _label_column(left, right):
        return _rows(lines), False

    # Crossing lines cut the page into horizontal bands read one after another.
    # Lines beside a cut on its own row (a contact row whose middle item spans
    # the gutter) are read with it, left to right: they belong to neither band.
    out = []
    top = float("-inf")
    for row in _cut_rows(crossing):
        row_top, row_bottom = min(ln.y0 for ln in row), max(ln.y1 for ln in row)
        for column in (left, right):
            band = [ln for ln in column if top <= _middle(ln) < row_top]
            if band:
                out.extend(order_rows(band, depth + 1)[0])
        out.extend(_rows([*row, *(ln for ln in sides if row_top <= _middle(ln) <= row_bottom)]))
        top = row_bottom + 1e-6
    for column in (left, right):
        band = [ln for ln in column if top <= _middle(ln)]
        if band:
            out.extend(order_rows(band, depth + 1)[0])
    return _join_sidebar_wraps(out, left, right), True


# A sidebar is at most this share of the page's text width.
_SIDEBAR_SHARE = 0.4
# A wrapped line follows the line it continues closer than the list's items follow each other.
_WRAP_GAP_SHARE = 0.6


def _join_sidebar_wraps(rows: list[list[Line]], left: list[Line], right: list[Line]) -> list[list[Line]]:
    """Rows of a narrow sidebar that continue the row above, joined to it: one list item, one row.

    A sidebar's list items ("AWS Certified Cloud Practitioner", "English (Full Professional)") wrap
    at its narrow measure, and read as rows each half would become an item of its own. A row is a
    continuation when it is set flush and in the same type as the row above, closer to it than the
    neighbouring items are to them, and its first word would not have fit on the row above (which
    is what made the line break). Broken e-mails and URLs are left as they are: the contact rules
    read them across the line break.
    """
    width = max(ln.x1 for ln in (*left, *right)) - min(ln.x0 for ln in (*left, *right))
    measure_of: dict[int, float] = {}  # id of a sidebar line -> its column's measure (right edge)
    # id of a line -> its gap to the line above (below) it, when that one is set flush in the same type
    gap_above: dict[int, float] = {}
    gap_below: dict[int, float] = {}
    for column in (left, right):
        if not column or max(ln.x1 for ln in column) - min(ln.x0 for ln in column) > _SIDEBAR_SHARE * width:
            continue
        # The measure is where lines that could break did break: an unbreakable e-mail or URL overflows it.
        measure = max([ln.x1 for ln in column if len(ln.text.split()) > 1] or [ln.x1 for ln in column])
        measure_of.update((id(ln), measure) for ln in column)
        ordered = sorted(column, key=lambda ln: ln.y0)
        for upper, lower in zip(ordered, ordered[1:], strict=False):
            if _same_type_flush(upper, lower):
                gap_above[id(lower)] = gap_below[id(upper)] = lower.y0 - upper.y1
    if not measure_of:
        return rows
    out: list[list[Line]] = []
    tail: Line | None = None  # the last physical line of out[-1], when out[-1] is one sidebar line
    for row in rows:
        line = row[0] if len(row) == 1 and id(row[0]) in measure_of else None
        if line is not None and tail is not None and _continues(
            tail, line, measure_of[id(line)],
            [gap for gap in (gap_above.get(id(tail)), gap_below.get(id(line))) if gap is not None],
        ):
            out[-1] = [_joined(out[-1][0], line)]
        else:
            out.append(row)
        tail = line
    return out


def _same_type_flush(above: Line, line: Line) -> bool:
    return abs(line.x0 - above.x0) <= 1.5 and abs((line.y1 - line.y0) - (above.y1 - above.y0)) <= 0.6


def _continues(above: Line, line: Line, measure: float, neighbour_gaps: list[float]) -> bool:
    if not neighbour_gaps or not _same_type_flush(above, line):
        return False
    gap = line.y0 - above.y1
    if gap < -0.5 or gap > _WRAP_GAP_SHARE * min(neighbour_gaps):
        return False
    words_above, words = above.text.split(), line.text.split()
    if not words_above or not words:
        return False
    last, first = words_above[-1], words[0]
    if last.endswith(("-", "/", "@", ".")) or any(mark in last for mark in ("@", "/", "www")):
        return False
    first_width = (line.x1 - line.x0) * len(first) / max(len(line.text), 1)
    return above.x1 + first_width > measure - 1.0


def _joined(first: Line, second: Line) -> Line:
    shift = len(first.text) + 1
    return Line(
        min(first.x0, second.x0), first.y0, max(first.x1, second.x1), second.y1, f"{first.text} {second.text}",
        (*first.pieces, *((s + shift, e + shift, x0, y0, x1, y1) for s, e, x0, y0, x1, y1 in second.pieces)),
    )


def _middle(line: Line) -> float:
    return (line.y0 + line.y1) / 2


def _cut_rows(crossing: list[Line]) -> list[list[Line]]:
    """Crossing lines grouped into rows: lines whose vertical extents overlap are one row."""
    rows: list[list[Line]] = []
    for ln in sorted(crossing, key=lambda ln: ln.y0):
        if rows and ln.y0 < max(c.y1 for c in rows[-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows
