"""TeX math in a title (``$\\ell_1$``, ``$O(1/n)$``) as the Unicode text a reader expects
(``ℓ₁``, ``O(1/n)``), for the HTML page, which bundles no math renderer.

Only what reads unambiguously as text is converted: Greek letters and common symbols,
operator names, font commands (their letters kept plain), accents on one letter, fractions,
square roots, and sub- and superscripts (Unicode's small digits and letters where every
character has one, else ``^q`` or ``_(ij)``). A math span holding anything else is left as
written, dollars included, so the page never shows a half-converted formula. Math spans are
found as pandoc reads them: an opening ``$`` followed by a non-space, a closing ``$`` after a
non-space and not before a digit, so "from $5 to $10" is text. The result is plain text:
the page escapes it like any title.
"""

from __future__ import annotations

import re
import unicodedata

# $...$ or $$...$$: no space inside the dollars, no digit right after the closing one, and
# an escaped \$ is a dollar sign. A span is at most 200 characters, which bounds the search
# for a closing dollar (a title of many lone dollars stays linear).
_MATH_RE = re.compile(r"(?<!\\)(\$\$?)(?=\S)((?:\\.|[^$\\]){1,200}?)(?<=\S)\1(?!\d)",
                      re.DOTALL)
_TOKEN_RE = re.compile(r"\\([A-Za-z]+)|\\(.)|(\s+)|(.)", re.DOTALL)

def _names(text: str) -> list[str]:
    """Command names written as one string, space-separated."""
    return text.split()


_GREEK = dict(zip(_names(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"),
    "αβγδϵεζηθϑικλμνξοπϖρϱσςτυϕφχψωΓΔΘΛΞΠΣΥΦΨΩ", strict=True))
_SYMBOLS = _GREEK | {
    "ell": "ℓ", "infty": "∞", "times": "×", "cdot": "·", "cdots": "⋯", "ldots": "…",
    "dots": "…", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡",
    "propto": "∝", "ll": "≪", "gg": "≫", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔", "mapsto": "↦", "in": "∈",
    "notin": "∉", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "cup": "∪", "cap": "∩",
    "emptyset": "∅", "forall": "∀", "exists": "∃", "neg": "¬", "wedge": "∧", "vee": "∨",
    "oplus": "⊕", "otimes": "⊗", "circ": "∘", "bullet": "•", "star": "⋆", "ast": "∗",
    "sum": "∑", "prod": "∏", "int": "∫", "partial": "∂", "nabla": "∇", "prime": "′",
    "dagger": "†", "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉",
    "lfloor": "⌊", "rfloor": "⌋", "mid": "∣", "perp": "⊥", "top": "⊤", "hbar": "ℏ",
    "colon": ":", "lbrace": "{", "rbrace": "}", "vert": "|", "Vert": "‖",
    "quad": " ", "qquad": " ",
}
# Escaped characters and spacing commands: \{ \} \% \& \_ \# \$ \| and \, \: \; \! "\ ".
_ESCAPED = {**{c: c for c in "{}%&_#$"}, "|": "‖", ",": " ", ":": " ", ";": " ", " ": " ",
            "!": ""}
_OPERATORS = frozenset(_names(
    "log ln exp sin cos tan sinh cosh tanh arcsin arccos arctan max min sup inf lim liminf "
    "limsup arg argmax argmin det dim ker deg gcd Pr Var Cov Tr tr diag sgn"))
_IGNORED = frozenset(_names(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr mathop limits nolimits displaystyle "
    "textstyle scriptstyle"))
# Font commands keep their argument's letters (text ones keep its spaces too).
_FONTS = frozenset(_names(
    "mathrm mathit mathbf mathsf mathtt mathcal mathscr mathfrak boldsymbol bm operatorname "
    "mathnormal"))
_TEXT_FONTS = frozenset(_names("text textrm textit textbf texttt textsf textnormal emph mbox"))
_DOUBLE_STRUCK = dict(zip("RNZQCPHE1", "ℝℕℤℚℂℙℍ𝔼𝟙", strict=True))
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
            "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307",
            "ddot": "\u0308"}
_FRACTIONS = frozenset({"frac", "tfrac", "dfrac"})
_SUPERSCRIPTS = dict(zip(
    "0123456789+-−=()niabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδθφχε*′",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᶿᵠᵡᵋ*′",
    strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ",
                       "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
# Plain ASCII that math may hold as itself (a letter or digit, or these); anything else
# ('&', '#', a lone backslash...) leaves the span as written.
_PLAIN_ASCII = frozenset("+=<>()[]/,.:;!|'*?@\"")
_WORD = "\ue000"  # around an operator name: a space where it touches a letter or digit


class _Unknown(Exception):
    """Something in the span this module does not convert."""


def unicode_math(text: str) -> str:
    """``text`` with each TeX math span it can read fully as Unicode text, the others as
    written."""
    if "$" not in text:
        return text
    return _MATH_RE.sub(_convert_match, text)


def _convert_match(match: re.Match[str]) -> str:
    body = match.group(2)
    if _WORD in body:
        return match.group()
    try:
        out = _Parser(body).sequence(top=True)
    except _Unknown:
        return match.group()
    out = re.sub(rf"(?<=\w){_WORD}|{_WORD}(?=\w)", " ", out).replace(_WORD, "")
    out = re.sub(r"([(\[])\s+", r"\1", re.sub(r"\s+([)\]])", r"\1", out))
    # NFC: a letter and its accent as one character where Unicode has it (ŷ), as fonts prefer.
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", out).strip()) or match.group()


class _Parser:
    """A recursive reading of one math span's tokens into text."""

    def __init__(self, body: str) -> None:
        self.tokens = [(m.group(1), m.group(2), m.group(3), m.group(4))
                       for m in _TOKEN_RE.finditer(body)]
        self.at = 0

    def next(self) -> tuple[str | None, str | None, str | None, str | None]:
        if self.at >= len(self.tokens):
            raise _Unknown
        self.at += 1
        return self.tokens[self.at - 1]

    def sequence(self, top: bool = False, text: bool = False) -> str:
        """Tokens up to the closing brace (or the end of the span, at the top)."""
        out = []
        while self.at < len(self.tokens):
            if self.tokens[self.at][3] == "}":
                if top:
                    raise _Unknown
                self.at += 1
                return "".join(out)
            out.append(self.item(text))
        if not top:
            raise _Unknown  # an unclosed brace
        return "".join(out)

    def argument(self, text: bool = False) -> str:
        """One argument: a braced group or a single token (spaces before it skipped)."""
        while self.at < len(self.tokens) and self.tokens[self.at][2]:
            self.at += 1
        if self.at < len(self.tokens) and self.tokens[self.at][3] == "{":
            self.at += 1
            return self.sequence(text=text)
        return self.item(text)

    def item(self, text: bool = False) -> str:
        command, escaped, space, char = self.next()
        if space:
            return " "
        if escaped is not None:
            if escaped not in _ESCAPED:
                raise _Unknown
            return _ESCAPED[escaped]
        if command is not None:
            return self.command(command)
        assert char is not None
        if char == "{":
            return self.sequence(text=text)
        if char in "^_":
            return self.script(char)
        if char == "~":
            return " "
        if char == "-":
            return "-" if text else "−"
        if char == "'" and not text:
            return "′"
        if char.isascii() and not char.isalnum() and char not in _PLAIN_ASCII:
            raise _Unknown
        if not char.isprintable():
            raise _Unknown
        return char

    def command(self, name: str) -> str:
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _OPERATORS:
            return f"{_WORD}{name}{_WORD}"
        if name in _IGNORED:
            return ""
        if name in _FONTS:
            return self.argument()
        if name in _TEXT_FONTS:
            return self.argument(text=True)
        if name == "mathbb":
            return "".join(_DOUBLE_STRUCK.get(c, c) for c in self.argument())
        if name in _ACCENTS:
            base = self.argument()
            if name == "overline":
                return "".join(c + _ACCENTS[name] for c in base)
            if len(base) != 1:
                raise _Unknown
            return base + _ACCENTS[name]
        if name in _FRACTIONS:
            return f"{_grouped(self.argument())}/{_grouped(self.argument())}"
        if name == "sqrt":
            if self.at < len(self.tokens) and self.tokens[self.at][3] == "[":
                raise _Unknown  # a cube root and the like: as written
            return "√" + _grouped(self.argument())
        raise _Unknown

    def script(self, mark: str) -> str:
        arg = self.argument()
        if mark == "^" and arg in ("∘", "°"):
            return "°"
        # Small digits and signs, and one small letter (xᵀ, ℓ₁, x⁽ᵗ⁾); a word in small letters
        # reads badly, and Unicode lacks some (no small q): then x_train, 2^q, x^(ab).
        table = _SUPERSCRIPTS if mark == "^" else _SUBSCRIPTS
        if arg and all(c in table for c in arg) and sum(c.isalpha() for c in arg) <= 1:
            return "".join(table[c] for c in arg)
        return mark + _grouped(arg)


def _grouped(text: str) -> str:
    """``text`` alone, or in parentheses when it is more than one letter, digit run or sign."""
    text = text.strip()
    if re.fullmatch(r"\w+|.", text) or (text.startswith("(") and text.endswith(")")):
        return text
    return f"({text})"
