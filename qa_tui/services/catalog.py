"""Template listing and checking, as the CLI and the new-assessment screen need them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_tui.errors import Problem, TemplateInvalid
from qa_tui.templates import Template, TemplateLibrary, load_template_file


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    version: str
    title: str
    kind: str
    questions: int
    description: str
    origin: str
    path: Path
    conditional: int = 0
    """Questions asked only when an earlier answer calls for them (``show_if``): a new
    assessment starts with ``questions - conditional`` to answer."""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "title": self.title, "kind": self.kind,
                "questions": self.questions, "origin": self.origin}


def template_infos(library: TemplateLibrary) -> list[TemplateInfo]:
    return [
        TemplateInfo(e.template.id, e.template.version, e.template.title, e.template.kind.value,
                     len(e.template.questions), e.template.description, e.origin, e.path,
                     sum(q.show_if is not None for q in e.template.questions))
        for e in library.all()
    ]


@dataclass(frozen=True)
class CheckResult:
    path: Path
    template: Template | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_template_files(paths: Iterable[Path], library: TemplateLibrary | None = None
                         ) -> list[CheckResult]:
    """Compile each file on its own so one broken file never hides the others' problems."""
    results = []
    for path in paths:
        try:
            template = load_template_file(path)
        except TemplateInvalid as exc:
            results.append(CheckResult(path, None, exc.problems))
            continue
        problems: tuple[Problem, ...] = ()
        if library is not None:
            entry = library.entries.get(template.id)
            if entry is not None and entry.origin == "bundled" and \
                    entry.path.resolve() != path.resolve():
                problems = (Problem(str(path), "id", f"template id {template.id!r} is already "
                                    "used by a bundled template; give yours its own id"),)
        results.append(CheckResult(path, template, problems))
    return results
