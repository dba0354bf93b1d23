"""Reading a long list beside the writing of a workbook.

A country's list of initiatives (105,000 rows a year) kept the workbook waiting for PostgreSQL about as long as
it took to write the rows. On PostgreSQL the list is read by a thread of its own, on a connection of its own,
inside a transaction: the database then computes the rows as they are fetched, the next ones while this process
writes the ones it has (a cursor outside a transaction computes every row before handing over the first). The
rows arrive in batches through a short queue, so memory stays flat whatever the list's length.

Another connection cannot see what the caller's open transaction has not committed yet (a test, a command run
inside `atomic`), and SQLite does not share its in-memory databases between connections: there the rows are
read in the caller's thread, as they are asked for, exactly as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import closing

from django.db import connections, transaction
from django.db.models import QuerySet

BATCH = 500  # rows handed over at once
DEPTH = 4  # batches read ahead at most: a few thousand rows in memory, whatever the list's length
_DONE = object()


def can_read_ahead(using: str) -> bool:
    connection = connections[using]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class ReadingAhead:
    """`with ReadingAhead(queryset, chunk_size=…) as rows:` — `rows` iterates over the queryset's rows, read
    ahead by a thread when `can_read_ahead`. Leaving the block stops the thread if the rows are no longer
    wanted (an error while writing them) and waits for it to close its connection."""

    def __init__(self, queryset: QuerySet, *, chunk_size: int):
        self._queryset = queryset.using(queryset.db)  # the database the caller's router chose (e.g. the replica)
        self._chunk_size = chunk_size
        self._queue: queue.Queue = queue.Queue(maxsize=DEPTH)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ReadingAhead:
        if can_read_ahead(self._queryset.db):
            self._thread = threading.Thread(target=self._produce, name="report-rows", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()

    def __iter__(self) -> Iterator:
        if self._thread is None:
            yield from self._queryset.iterator(chunk_size=self._chunk_size)
            return
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield from item

    def _put(self, item) -> bool:
        """Hand `item` over, unless the reader has gone (then False)."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            self._read()
        except BaseException as error:  # noqa: BLE001 — raised again in the reader's thread
            self._put(error)
        finally:
            connections.close_all()  # this thread's own connection

    def _read(self) -> None:
        using = self._queryset.db
        rows = self._queryset.iterator(chunk_size=self._chunk_size)
        with transaction.atomic(using=using), closing(rows):  # the cursor closed before the transaction ends
            with connections[using].cursor() as cursor:
                # Every row is read: the plan quickest for all of them, not for the first tenth (a cursor's
                # default, 2 s slower for a country's list); compiling it to machine code costs more than it saves.
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
                cursor.execute("SET LOCAL jit = off")
            batch: list = []
            for row in rows:
                batch.append(row)
                if len(batch) == BATCH:
                    if not self._put(batch):
                        return
                    batch = []
            if batch and not self._put(batch):
                return
        self._put(_DONE)
