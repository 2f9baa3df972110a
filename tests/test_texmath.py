"""TeX math in titles as Unicode text (deepphen.texmath), for the HTML page."""

from __future__ import annotations

import pytest

from deepphen.texmath import unicode_math


@pytest.mark.parametrize(("written", "shown"), [
    (r"$\ell_1$-Regularized Learning", "ℓ₁-Regularized Learning"),
    (r"An $O(1/n)$ Rate", "An O(1/n) Rate"),
    (r"$O(n\log n)$ Sorting", "O(n log n) Sorting"),
    (r"$\mathcal{O}(\sqrt{T})$ Regret", "O(√T) Regret"),
    (r"$\alpha$-entmax and $\beta$-VAE", "α-entmax and β-VAE"),
    (r"$$\beta$$-VAE", "β-VAE"),
    (r"$\textit{Agents Under Siege}$", "Agents Under Siege"),
    (r"$\mathbb{R}^d$ and $W^{-1}$ and $x^{(t)}$", "ℝᵈ and W⁻¹ and x⁽ᵗ⁾"),
    (r"$I^2G$, PD$^3$F, 10$^\circ$", "I²G, PD³F, 10°"),
    (r"$\frac{1}{n}$ and $\frac{n+1}{2}$", "1/n and (n+1)/2"),
    (r"$\hat{y}$, $\|x\|_2$, $x^*$, $f'(x)$", "ŷ, ‖x‖₂, x*, f′(x)"),
    (r"$\textrm{ODE}_t \left(\textrm{ODE}_l \right)$", "ODEₜ (ODEₗ)"),
    # Unicode has no small q, and a word in small letters reads badly: plain notation.
    (r"$(0, 2^q)$ and $x_{train}$", "(0, 2^q) and x_train"),
])
def test_common_math_reads_as_text(written: str, shown: str) -> None:
    assert unicode_math(written) == shown


@pytest.mark.parametrize("title", [
    "From $5 to $10 a Day",          # dollars, not math: no space may follow the opening one
    r"Costs \$5 and \$10",           # escaped dollars
    r"A $\sqrt[3]{x}$ Root",          # what is not converted whole stays as written
    r"The $\foo{x}$ Command",
    r"$a & b$ Alignment",
    "$$$$ and $ alone",
    "No math at all",
])
def test_what_is_not_read_whole_stays_as_written(title: str) -> None:
    assert unicode_math(title) == title


def test_markup_in_math_stays_text_for_the_page_to_escape() -> None:
    assert unicode_math(r"$\text{<b>x</b>}$") == "<b>x</b>"


def test_many_lone_dollars_are_read_in_one_pass() -> None:
    # Each "$a " opens a span no dollar closes (a space before it): with no bound on a span,
    # every one searched to the end of the title.
    title = "$a " * 20_000
    assert unicode_math(title) == title
