"""The set of templates a user can start from: the bundled ones plus the user's own folder.

A user template that fails to compile is reported, not fatal; one that reuses a bundled id is an
error (a silent override would change what an id means on this laptop only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from qa_tui.errors import NotFound, Problem, TemplateInvalid
from qa_tui.templates.loader import load_template_file
from qa_tui.templates.model import Template


def bundled_dir() -> Path:
    """Where the bundled templates are: inside the installed wheel, or the source checkout."""
    packaged = Path(str(resources.files("qa_tui"))) / "_bundled" / "assessments"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "assessments"


@dataclass(frozen=True)
class TemplateEntry:
    template: Template
    path: Path
    origin: str  # "bundled" or "user"


@dataclass
class TemplateLibrary:
    entries: dict[str, TemplateEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, user_dir: Path | None = None, bundled: Path | None = None) -> TemplateLibrary:
        library = cls()
        library._add_folder(bundled if bundled is not None else bundled_dir(), "bundled")
        if user_dir is not None and user_dir.is_dir():
            library._add_folder(user_dir, "user")
        return library

    def _add_folder(self, folder: Path, origin: str) -> None:
        for path in sorted(folder.glob("*.toml")):
            try:
                template = load_template_file(path)
            except TemplateInvalid as exc:
                self.problems.extend(exc.problems)
                continue
            existing = self.entries.get(template.id)
            if existing is not None:
                self.problems.append(Problem(
                    str(path), "id",
                    f"template id {template.id!r} is already used by {existing.origin} template "
                    f"{existing.path.name}; give your template its own id"))
                continue
            self.entries[template.id] = TemplateEntry(template, path, origin)

    def all(self) -> list[TemplateEntry]:
        return sorted(self.entries.values(), key=lambda e: (e.template.title.casefold(), e.template.id))

    def get(self, template_id: str) -> Template:
        entry = self.entries.get(template_id)
        if entry is None:
            known = ", ".join(sorted(self.entries)) or "none"
            raise NotFound(f"no template {template_id!r} (known: {known})")
        return entry.template

    def ids(self) -> Iterable[str]:
        return self.entries.keys()
