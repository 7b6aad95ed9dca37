"""``qa-tui compare A B``: two assessments of one template side by side, for moderation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from qa_tui.cli.context import CliContext, pass_cli
from qa_tui.cli.output import ExitCode, emit, emit_json


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:g}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:+g}"


def comparison_text(data: dict[str, Any]) -> list[str]:
    a, b, agreement = data["a"], data["b"], data["agreement"]
    lines = [
        f"A  {a['id'][:8]}  {a['organisation']}  {a['visit_date']}  {a['status']}",
        f"B  {b['id'][:8]}  {b['organisation']}  {b['visit_date']}  {b['status']}",
        f"Template {data['template']}" + ("" if data["same_version"] else
                                          " (two versions: questions in both are compared)"),
        "",
        f"Agreement on {agreement['n']} question(s) answered on a scale by both: "
        f"exact {_pct(agreement['exact'])}, within one step {_pct(agreement['within_one'])}, "
        f"weighted kappa {'-' if agreement['kappa_weighted'] is None else agreement['kappa_weighted']}"
        f"; N/A on either side {agreement['na']}, blank on either side {agreement['unanswered']}",
        "",
        "Sections            A score   B score   gap     A rating / B rating",
    ]
    for s in [*data["sections"], data["overall"]]:
        lines.append(f"  {s['id']:<16}  {_pct(s['a_score']):>8}  {_pct(s['b_score']):>8}  "
                     f"{_num(s['gap']):>6}  {s['a_rating'] or '-'} / {s['b_rating'] or '-'}")
    differing = [q for q in data["questions"] if q["a"]["label"] != q["b"]["label"]]
    lines += ["", f"Questions answered differently: {len(differing)} of {len(data['questions'])}"]
    for q in differing:
        mark = "!!" if q["flagged"] else "  "
        steps = "" if q["steps"] is None else f"  ({q['steps']:+d} step(s))"
        blank = "(no value)" if q["computed"] else "(blank)"
        lines.append(f"{mark} {q['id']:<8} A: {q['a']['label'] or blank}  "
                     f"B: {q['b']['label'] or blank}{steps}"
                     f"{'  (computed)' if q['computed'] else ''}")
    if any(q["flagged"] for q in data["questions"]):
        lines += ["", "!! the two views are more than one step apart"]
    if data["groups"]:
        from qa_tui.templates.compare import NOT_COMPARED

        lines += ["", f"{NOT_COMPARED}:"] + [f"  {g['summary']}" for g in data["groups"]]
    return lines


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Stable machine-readable form.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the comparison as a workbook (.xlsx).")
@click.option("--force", is_flag=True, help="Replace a different file already at --output.")
@pass_cli
def compare(app: CliContext, a: str, b: str, as_json: bool, output: Path | None,
            force: bool) -> int:
    """Compare two assessments of the same template question by question (B against A).

    Per question both answers and notes and the difference; per section both scores and the
    gap; overall exact agreement, agreement within one step and Cohen's weighted kappa.
    """
    from qa_tui.services.compare import compare_assessments, write_comparison

    if output is not None and output.suffix.lower() != ".xlsx":
        raise click.BadParameter("the workbook's name must end in .xlsx", param_hint="-o")
    compared = compare_assessments(app.services.assessments, a, b)
    data = compared.to_json()
    if output is not None:
        write_comparison(compared, output, force=force)
    if as_json:
        emit_json({**data, "output": str(output) if output else None})
    else:
        emit(*comparison_text(data))
        if output is not None:
            emit("", f"written: {output}")
    return ExitCode.OK


COMMANDS = (compare,)
