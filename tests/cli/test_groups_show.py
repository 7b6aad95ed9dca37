"""``qa-tui show`` lists every computed value with its band and how it was reached."""

from __future__ import annotations

from qa_tui.config import resolve_paths
from tests.groups_support import write_template


def test_show_lists_computed_values_with_their_band(cli) -> None:  # type: ignore[no-untyped-def]
    write_template(resolve_paths().templates_dir)
    aid = cli("new", "--template", "risk-test", "--org", "Example Trust").out.strip()
    assert cli("answer", aid, "C1", "n").code == 0
    for _ in range(2):
        assert cli("row", "add", aid, "RISK").code == 0
    for field, value in (("DESC", "Roof leaks"), ("LIKELIHOOD", "5"), ("CONSEQUENCE", "4")):
        assert cli("answer", aid, f"RISK[2].{field}", value).code == 0
    lines = cli("show", aid).out.splitlines()
    assert "  = NOS      1" in lines  # an ordinary section's computed question
    assert "      count of 'No' in C1, C2 = 1 (C1)" in lines
    at = lines.index("  Risk 2: Roof leaks")
    assert "    = RISK[2].SCORE        20 (Extreme)" in lines[at:]
    assert "        LIKELIHOOD 5 x CONSEQUENCE 4 = 20 -> Extreme" in lines[at:]
    assert "    = RISK[1].SCORE        (no value yet)" in lines[:at]
