"""The provider report on paper: LibreOffice turns the Word and HTML reports into PDF, and the
pages are A4 with nothing running off them.

LibreOffice and poppler are installed by ``.ci/run``; where they are missing this test skips
on a developer's machine but fails in CI (``CI=true``), so CI never passes by skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qa_tui.config import Paths
from qa_tui.services import Services
from tests.groups_support import RISK_TEMPLATE, WIDE_RISK_TEMPLATE, risk_services, walked_risk_visit

from tests.report_support import walked_visit

A4 = (595.3, 841.9)  # points


def _tools() -> None:
    missing = [t for t in ("soffice", "pdfinfo", "pdftotext") if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing in CI (.ci/run installs them)")
        pytest.skip(f"{', '.join(missing)} not installed")


def to_pdf(source: Path, out: Path, profile: Path, *, html: bool) -> Path:
    """Convert with a private LibreOffice profile (never the user's), headless."""
    args = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    if html:  # import into Writer itself (the web view ignores print layout)
        args += ["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export"]
    else:
        args += ["--convert-to", "pdf"]
    done = subprocess.run([*args, "--outdir", str(out), str(source)], capture_output=True,
                          text=True, timeout=300)
    pdf = out / (source.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr + done.stdout
    return pdf


def pages_fit_a4(pdf: Path) -> int:
    """Assert every page is A4 and every word lies on the page; return the page count."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    assert sizes, info
    for w, h in sizes:
        assert abs(float(w) - A4[0]) < 1 and abs(float(h) - A4[1]) < 1, (w, h)
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"',
                       bbox)
    assert len(words) > 200
    for x0, y0, x1, y1 in words:
        # inside the page with room to spare: a table wider than the page would cross the edge
        assert float(x0) >= 0 and float(x1) <= A4[0] - 20, (x0, x1)
        assert float(y0) >= 0 and float(y1) <= A4[1], (y0, y1)
    return len(sizes)


def test_both_formats_print_on_a4_with_nothing_off_the_page(services: Services,
                                                           tmp_path: Path) -> None:
    _tools()
    aid = walked_visit(services)
    profile = tmp_path / "lo-profile"
    docx = services.reports.write(aid, tmp_path / "docx", fmt="docx").path
    html = services.reports.write(aid, tmp_path / "html", fmt="html").path
    pdf_docx = to_pdf(docx, tmp_path / "pdf-docx", profile, html=False)
    pdf_html = to_pdf(html, tmp_path / "pdf-html", profile, html=True)
    assert pages_fit_a4(pdf_docx) >= 2
    assert pages_fit_a4(pdf_html) >= 2
    text = subprocess.run(["pdftotext", str(pdf_docx), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Immediate concerns and escalation" in text and "Fit call bells in every bay" in text


@pytest.mark.parametrize("template", [RISK_TEMPLATE, WIDE_RISK_TEMPLATE], ids=["side-by-side",
                                                                             "listed"])
def test_a_template_with_rows_prints_on_a4_with_nothing_off_the_page(
        paths: Paths, tmp_path: Path, template: str) -> None:
    """The risk register's table stays within the page too: six columns with long free text,
    or, with too many fields for that, the row title and the other fields listed beside it."""
    _tools()
    services = risk_services(paths, template)
    try:
        aid = walked_risk_visit(services)
        profile = tmp_path / "lo-profile"
        docx = services.reports.write(aid, tmp_path / "docx", fmt="docx").path
        html = services.reports.write(aid, tmp_path / "html", fmt="html").path
    finally:
        services.close()
    for pdf in (to_pdf(docx, tmp_path / "pdf-docx", profile, html=False),
                to_pdf(html, tmp_path / "pdf-html", profile, html=True)):
        assert pages_fit_a4(pdf) >= 1
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        assert "Risk register" in text and "25 (Extreme)" in text and "12 (High)" in text
        assert "Head of estates and facilities management" in text
