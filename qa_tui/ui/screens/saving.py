"""Saving on the Assess screen without ever freezing it while another program holds the lock.

Each change is one service call that commits before "saved" is shown. It is first tried on
the UI thread with little patience (:data:`FIRST_TRY`), which is all a commit by another
qa-tui window ever needs. If the database is still busy (another program holds its write
lock, say a long script or a backup tool), the call and every change made meanwhile wait, in
order, in a thread worker with the store's full busy timeout, while the status line says
"waiting for the database" and the keys keep working. When the wait ends each queued change
is shown saved, or every one still waiting is listed as not saved, in words.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa_tui.errors import QaError

if TYPE_CHECKING:
    from qa_tui.services import AssessmentDetail, Services
    from qa_tui.ui.widgets.save_status import SaveStatus

FIRST_TRY = 0.25
"""Seconds the UI thread waits for the write lock before handing the wait to a worker."""


@dataclass(frozen=True)
class PendingSave:
    what: str
    call: Callable[[], AssessmentDetail]
    advance: bool
    after: Callable[[], None] | None


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, QaError) and exc.code == "busy"


def plain_reason(exc: BaseException) -> str:
    """An error as a person reads it: a QaError's own sentence; anything else by kind only
    (a library's message can quote SQL parameters, i.e. answer text)."""
    if isinstance(exc, QaError):
        return str(exc)
    if isinstance(exc, OSError):
        from qa_tui.errors import file_problem

        return str(file_problem(exc))
    return f"an unexpected error ({type(exc).__name__}); nothing else was changed"


class Saving:
    """Mixin for the Assess screen: ``_apply`` and the queue of saves waiting for the lock.

    The queue is shared with one worker thread at a time, under a lock: a change made while
    a save waits always joins the line (never overtakes it), and the worker saves every
    change in the line even if the app closes meanwhile (the executor thread is joined at
    exit; only the report back to the screen is skipped)."""

    if TYPE_CHECKING:
        services: Services

        @property
        def status(self) -> SaveStatus: ...

        def _took(self, what: str, detail: AssessmentDetail, advance: bool) -> None: ...

        def run_worker(self, work: Any, **kwargs: Any) -> Any: ...

        @property
        def app(self) -> Any: ...

    _queue_lock: threading.Lock
    _queue: deque[PendingSave]
    _waiting_now = False

    def _line(self) -> tuple[threading.Lock, deque[PendingSave]]:
        if "_queue_lock" not in self.__dict__:
            self._queue_lock = threading.Lock()
            self._queue = deque()
        return self._queue_lock, self._queue

    @property
    def waiting_for_database(self) -> bool:
        return self._waiting_now

    def _apply(self, what: str, call: Callable[[], AssessmentDetail], *, advance: bool = False,
               after: Callable[[], None] | None = None) -> bool:
        """Run one service call; True when it saved now. False when it was refused (the
        status says why) or is waiting for the database (it saves when the lock is free)."""
        pending = PendingSave(what, call, advance, after)
        lock, queue = self._line()
        with lock:
            count = 0
            if self._waiting_now:  # join the line: never overtake a save still waiting
                queue.append(pending)
                count = len(queue)
        if count:
            self.status.waiting(count)
            return False
        try:
            with self.services.store.patience(FIRST_TRY):
                detail = call()
        except Exception as exc:
            if not is_busy(exc):
                self.status.error(plain_reason(exc))
                return False
            with lock:
                queue.append(pending)
                self._waiting_now = True
            self.status.waiting(1)
            self.run_worker(self._wait_and_save, thread=True, group="save-wait", exclusive=False)
            return False
        self._took(what, detail, advance)
        if after is not None:
            after()
        return True

    def _wait_and_save(self) -> None:
        """Thread worker: the queued saves, in order, each with the store's full patience."""
        lock, queue = self._line()
        while True:
            with lock:
                if not queue:
                    self._waiting_now = False
                    return
                pending = queue[0]
            try:
                detail = pending.call()
            except Exception as exc:
                with lock:
                    lost = [p.what for p in queue]
                    queue.clear()
                    self._waiting_now = False
                self._report(self._wait_failed, exc, lost)
                return
            with lock:
                queue.popleft()
                left = len(queue)
            self._report(self._waited, pending, detail, left)

    def _report(self, method: Callable[..., None], *args: Any) -> None:
        try:
            self.app.call_from_thread(method, *args)
        except Exception:  # the app has closed: the save itself is done, only the news is lost
            pass

    def _waited(self, pending: PendingSave, detail: AssessmentDetail, left: int) -> None:
        self._took(pending.what, detail, False)  # no jumping ahead after a wait
        if pending.after is not None:
            pending.after()
        if left:
            self.status.waiting(left)

    def _wait_failed(self, exc: BaseException, lost: list[str]) -> None:
        self.status.error(f"{plain_reason(exc)} — not saved: {'; '.join(lost)}")
