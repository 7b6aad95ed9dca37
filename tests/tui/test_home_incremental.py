"""Coming back to Home patches the list in place (issue 20): the assessment just edited is
rewritten and moves to the top, and the table of every other assessment is not rebuilt."""

from __future__ import annotations



from qa_tui.services import Services
from qa_tui.ui.app import build_app
from qa_tui.ui.screens.assess import AssessScreen
from qa_tui.ui.screens.home import HomeScreen
from qa_tui.ui.widgets.assessment_table import AssessmentTable
from tests.test_ui_support import pilot_test, start_ward_check, until


def order(table: AssessmentTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


@pilot_test
async def test_back_to_home_patches_the_edited_row_and_moves_it_first(svc: Services) -> None:
    ids = [start_ward_check(svc, org=f"Trust {n}") for n in range(4)]
    oldest = ids[0]
    app = build_app(services=svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen)
                    and not app.screen.list_loading
                    and app.screen.query_one(AssessmentTable).row_count == 4, "the list")
        home = app.screen
        table = home.query_one(AssessmentTable)
        assert order(table)[-1] == oldest and table.get_cell(oldest, "progress") == "0%"
        rebuilt = []
        real_clear = table.clear
        table.clear = lambda *a, **k: (rebuilt.append(1), real_clear(*a, **k))[1]  # type: ignore[method-assign]

        app.open_assessment(oldest)
        await until(pilot, lambda: isinstance(app.screen, AssessScreen), "Assess")
        await until(pilot, lambda: app.screen.question_id == "S1", "S1 on screen")  # type: ignore[attr-defined]
        await pilot.press("y")  # S1 (yes/no), answered on screen
        await until(pilot, lambda: svc.assessments.get(oldest).answer("S1").answered, "the answer")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is home and not home.list_loading
                    and order(table)[0] == oldest, "Home with the edited assessment first")
        assert table.get_cell(oldest, "progress") != "0%"  # its row was rewritten
        assert order(table)[1:] == [i for i in reversed(ids) if i != oldest]
        assert table.selected_id == ids[-1]  # the cursor stays on the assessment it was on
        assert not rebuilt  # the other rows were left alone, not rebuilt

        # a new assessment (or one gone) is a different list: that one is rebuilt
        start_ward_check(svc, org="Trust new")
        home.reload()
        await until(pilot, lambda: table.row_count == 5, "the new row")
        assert rebuilt
