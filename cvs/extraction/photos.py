"""Which embedded pictures could be the candidate's photo."""

from __future__ import annotations

# Icons and bullets are tiny; banners and full-page scans are huge or very wide.
_MIN_SIDE = 96
_MAX_SIDE = 4000
_MIN_ASPECT = 0.5
_MAX_ASPECT = 2.0


def is_plausible_photo(width: int, height: int) -> bool:
    """A portrait-like picture of a reasonable size."""
    if min(width, height) < _MIN_SIDE or max(width, height) > _MAX_SIDE:
        return False
    return _MIN_ASPECT <= width / height <= _MAX_ASPECT
