"""The report's page and its sections (used by :func:`uipolicy.report.build_report`).

:class:`Page` collects the summary's figures, the sections and the appendix and renders
one HTML document; each ``_section_*`` function runs one part of the analysis and adds
its tables (formatted for people, raw values in ``tables/*.csv``), figures (PNG, ASCII
labels) and one interpreting sentence per figure or table, computed from the numbers.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uipolicy.fmt import ascii_units

__all__ = ["Page", "build_sections", "esc", "finding", "para"]

Formatter = Callable[[Any], str]


def esc(text: object) -> str:
    """Escape text for HTML, with the seed's unit words in ASCII."""
    return html.escape(ascii_units(str(text)))


def para(text: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{esc(text)}</p>"


def finding(text: str) -> str:
    """The interpreting sentence of a table or figure, set apart."""
    return f'<p class="finding">{esc(text)}</p>'


@dataclass
class Page:
    """The report being built: summary facts, sections, appendix, files written."""

    root: Path
    summary: dict[str, Any] = field(default_factory=dict)
    sections: list[tuple[int, str, str, str]] = field(default_factory=list)
    appendix: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def table(self, name: str, frame: Any, *, formats: Mapping[str, Formatter] | None = None,
              index: bool = True, caption: str = "") -> str:
        """Write ``frame`` to ``tables/name.csv`` and return it as an HTML table.

        Columns in ``formats`` are shown through their formatter; other floats with four
        significant digits; the CSV keeps every digit.
        """
        path = self.root / "tables" / f"{name}.csv"
        frame.to_csv(path, index=index)
        self.files.append(path)
        shown = frame.reset_index() if index else frame.copy()
        formats = dict(formats or {})
        head = "".join(f"<th>{esc(str(c).replace('_', ' '))}</th>" for c in shown.columns)
        rows = []
        for rec in shown.itertuples(index=False):
            cells = []
            for col, value in zip(shown.columns, rec, strict=True):
                cells.append(f"<td>{esc(_cell(value, formats.get(str(col))))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        cap = f"<caption>{esc(caption)}</caption>" if caption else ""
        return (f'<div class="table-wrap"><table id="t-{name}">{cap}<thead><tr>{head}</tr>'
                f"</thead><tbody>{''.join(rows)}</tbody></table></div>")

    def figure(self, name: str, fig: Any, caption: str, sentence: str) -> str:
        """Write ``fig`` to ``figures/name.png``; embed it with its caption and finding."""
        path = self.root / "figures" / f"{name}.png"
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        data = buf.getvalue()
        path.write_bytes(data)
        self.files.append(path)
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        return (f'<figure id="f-{name}"><img src="{uri}" alt="{esc(caption)}">'
                f"<figcaption><b>{esc(caption)}.</b> {esc(sentence)}</figcaption></figure>")

    def section(self, order: int, anchor: str, title: str, *parts: str) -> None:
        """Add the section numbered ``order`` (sections may be built in any order)."""
        self.sections.append((order, anchor, f"{order}. {title}", "".join(parts)))

    def html(self) -> str:
        """The whole document."""
        from uipolicy import __version__
        from uipolicy.report_text import CSS, glossary, summary

        ordered = sorted(self.sections)
        nav = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for _, a, t, _ in ordered)
        body = "".join(f'<section id="{a}"><h2>{esc(t)}</h2>{b}</section>'
                       for _, a, t, b in ordered)
        return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>Unemployment-insurance policy brief (uipolicy {__version__})</title>"
                f"<style>{CSS}</style></head><body><header>"
                "<h1>Unemployment-insurance policy brief: Qinghai, 2023-2027</h1>"
                f"<p class='meta'>uipolicy {__version__}. Games: seed 001 (Zhang 2024); "
                "fund: seed 002 (Qinghai); labour-market driver: seed 000. Money in CNY "
                "per person and 100m CNY (1e8 CNY, the seed's unit) for the fund.</p></header>"
                + summary(self.summary)
                + f"<nav><h2>Contents</h2><ul>{nav}<li><a href='#glossary'>Glossary</a></li>"
                "<li><a href='#appendix'>Appendix: raw tables</a></li></ul></nav>"
                + body + glossary()
                + "<section id='appendix'><h2>Appendix: raw tables</h2>"
                + para("Every table of the report with all digits; the same tables are in "
                       "tables/*.csv and the figures in figures/*.png.")
                + "".join(self.appendix) + "</section></body></html>")


def _cell(value: Any, fmt: Formatter | None) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"  # not applicable (e.g. no tiers for a step schedule); the CSV keeps NaN
    if fmt is not None:
        return fmt(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def build_sections(page: Page, n_paths: int, seed: int) -> list[tuple[str, Callable[[], None]]]:
    """The report's steps in order: (progress label, function)."""
    from uipolicy import report_sections as s

    state = page.summary  # what the sections find, for the summary at the top
    return [
        ("optimising the benefit schedule", lambda: s.optimum(page, state)),
        (f"Monte Carlo ({n_paths:,} paths)", lambda: s.ensemble(page, state, n_paths, seed)),
        ("deriving the seed-001 games", lambda: s.games(page)),
        ("verifying the seed-001 claims", lambda: s.claims(page)),
        ("reproducing seed 002, projecting the fund", lambda: s.fund(page, state)),
        ("Pareto frontier and sensitivity", lambda: s.tradeoffs(page, state)),
        ("Shanghai's step-down tiers", lambda: s.shanghai(page, state)),
        ("automation shock and reskilling", lambda: s.shock(page, state)),
    ]

