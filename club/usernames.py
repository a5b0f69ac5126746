"""Usernames that look alike are one name: `corа` (with a Cyrillic а) may not register beside
`cora`, nor `Cora`, `c0ra` or `corá`.

A name's *skeleton* is what it looks like, in the spirit of the skeleton of Unicode's UTS #39
(security mechanisms): compatibility forms folded (NFKC: fullwidth and mathematical letters),
accents dropped, case folded, and the letters of other scripts that are drawn like a Latin
letter or digit replaced by it. Two names with one skeleton would be mistaken for each other on
a page, so the second is refused. The mapping below is short and reviewed by hand: the letters
of Cyrillic, Greek, Armenian, Cherokee and Latin's own extensions that pass for a Latin letter
in common fonts, checked against Unicode's confusables list.
"""

from __future__ import annotations

import unicodedata

# Lower-case prototypes and what passes for them (before case folding: capitals of other
# scripts fold to letters that no longer look Latin, Greek Η to η, so they map first).
_LOOKALIKES = {
    "a": "аɑαАΑ",
    "b": "ƄЬᏏВΒвЪ",
    "c": "ᴄⲥсꮯϲСϹ",
    "d": "ԁᏧꓒ",
    "e": "ꬲеҽЕΕ",
    "f": "ꬵꞙẝք",
    "g": "ɡᶃƍց",
    "h": "һհᏂНΗн",
    "i": "ıɪɩιіꙇꭵᎥ",
    "j": "ϳјЈ",
    "k": "КΚкκ",
    "l": "1IƖǀΙⲒІӀӏꓲ|",
    "m": "МΜм",
    "n": "ոռΝ",
    "o": "0ᴏᴑꬽοσⲟоօОΟ",
    "p": "ρⲣрРΡ",
    "q": "ԛգզ",
    "r": "ꭇꭈᴦⲅгꮁ",
    "s": "ꜱƽѕꮪЅ",
    "t": "ТΤт",
    "u": "ꞟᴜꭎꭒʋυս",
    "v": "ᴠνѵꮩ",
    "w": "ɯᴡѡԝաꮃ",
    "x": "хХΧχ",
    "y": "ɣᶌʏỿꭚγуүУΥҮ",
    "z": "ᴢꮓΖ",
}
_PROTOTYPE = {glyph: latin for latin, glyphs in _LOOKALIKES.items() for glyph in glyphs}
# Pairs of letters that read as one: "rn" passes for "m", "vv" for "w".
_LETTER_PAIRS = (("rn", "m"), ("vv", "w"))
# Accents and other marks that sit on a letter (the combining diacritical blocks only: the
# vowel signs of Indic scripts are letters, not decoration, and stay).
_MARK_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF))


def normalise(username: str) -> str:
    """The form a username is stored in (NFKC, as Django's own forms already apply)."""
    return unicodedata.normalize("NFKC", username)


def skeleton(username: str) -> str:
    """What the name looks like: equal skeletons mean names a reader would confuse."""
    decomposed = unicodedata.normalize("NFKD", normalise(username))
    bare = "".join(ch for ch in decomposed if not _is_mark(ch))
    latin = "".join(_PROTOTYPE.get(ch, ch) for ch in bare).casefold()
    latin = "".join(_PROTOTYPE.get(ch, ch) for ch in latin)
    for pair, letter in _LETTER_PAIRS:
        latin = latin.replace(pair, letter)
    return latin


def _is_mark(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _MARK_RANGES)
