"""Regenerate the hostile template corpus: ``python tests/hostile/make_templates.py``.

Each file is small and deterministic; what each one attacks is in its name.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "templates"

GOOD_HEAD = (
    'id = "hostile"\nversion = "1"\ntitle = "Hostile"\nkind = "visit"\n'
    'description = "d"\nsource = "s"\n'
    '[scales.s]\noptions = [{ value = 1, label = "Yes" }, { value = 0, label = "No" }]\n'
)
ONE_QUESTION = '[[sections]]\nid = "A"\ntitle = "A"\n[[sections.questions]]\nid = "Q1"\ntext = "q"\nscale = "s"\n'

CORPUS: dict[str, bytes] = {
    "empty.toml": b"",
    "binary-noise.toml": bytes(range(256)) * 4,
    "truncated.toml": (GOOD_HEAD + ONE_QUESTION).encode()[:150],
    "utf16.toml": (GOOD_HEAD + ONE_QUESTION).encode("utf-16"),
    "latin1.toml": (GOOD_HEAD.replace('"Hostile"', '"Qualit\xe9"') + ONE_QUESTION).encode("latin-1"),
    "nul-bytes.toml": (GOOD_HEAD + ONE_QUESTION).encode().replace(b"Hostile", b"Host\x00ile"),
    "control-chars.toml": (GOOD_HEAD.replace('title = "Hostile"', 'title = "Host\\u0007ile\\u001b[31m"')
                           + ONE_QUESTION).encode(),
    "deep-nesting.toml": ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "deep-tables.toml": ("".join(f"[{'.'.join(['t'] * n)}]\n" for n in range(1, 300))).encode(),
    "wrong-types.toml": (
        b'id = 7\nversion = 1.0\ntitle = ["t"]\nkind = true\ndescription = {}\nsource = 0\n'
        b'scales = "none"\nsections = "A"\nscoring = 3\n'),
    "toml-dates.toml": (GOOD_HEAD + "released = 2024-04-01\n" + ONE_QUESTION).encode(),
    "path-like-ids.toml": (GOOD_HEAD.replace('id = "hostile"', 'id = "../../etc/passwd"')
                           + ONE_QUESTION.replace('id = "Q1"', 'id = "../Q1"')).encode(),
    "self-reference.toml": (GOOD_HEAD + ONE_QUESTION.replace(
        'scale = "s"\n', 'scale = "s"\nshow_if = { question = "Q1", equals = 1 }\n')).encode(),
    "many-options.toml": (GOOD_HEAD.replace(
        'options = [{ value = 1, label = "Yes" }, { value = 0, label = "No" }]',
        "options = [" + ", ".join(f'{{ value = {i}, label = "L{i}" }}' for i in range(40)) + "]")
        + ONE_QUESTION).encode(),
    "nan-weight.toml": (GOOD_HEAD + ONE_QUESTION + "weight = nan\n").encode(),
    "huge-band-numbers.toml": (GOOD_HEAD + ONE_QUESTION + '[scoring]\nmethod = "percent_bands"\n'
                               'bands = [{ low = -99999999999999999, high = 99999999999999999, '
                               'rating = "x" }]\n').encode(),
    # Characters the app would show escaped rather than as written (printable.first_unsafe):
    # a bidi override that makes a label read backwards, a line separator, a C1 CSI.
    "bidi-override.toml": (GOOD_HEAD.replace('label = "Yes"', 'label = "Y\\u202ees"')
                           + ONE_QUESTION).encode(),
    "line-separator.toml": (GOOD_HEAD.replace('title = "Hostile"', 'title = "Host\\u2028ile"')
                            + ONE_QUESTION).encode(),
    "c1-csi.toml": (GOOD_HEAD + ONE_QUESTION.replace('text = "q"', 'text = "q\\u009b2J"')).encode(),
}


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for name, data in CORPUS.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
