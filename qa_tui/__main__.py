"""``python -m qa_tui`` is the same as the ``qa-tui`` command."""

from qa_tui.entry import main

if __name__ == "__main__":
    main()
