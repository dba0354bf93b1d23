"""Reading, checking and writing many rows at once: values in IN (...) lists of a bounded size, a model's check
constraints evaluated in Python on rows that are not written yet (an import's preview, a bulk write), and rows
inserted at once."""

from __future__ import annotations

import operator
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, router
from django.db.models import CheckConstraint, F, JSONField, Q
from django.utils import timezone

IN_CHUNK = 500  # values per IN (...) query: well under every database's limit on parameters


def chunks(values):
    values = list(values)
    for start in range(0, len(values), IN_CHUNK):
        yield values[start:start + IN_CHUNK]


_COMPARE = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _condition(model, q):
    """A Q condition as a function of an unsaved row giving SQL's three values (True, False, None = unknown);
    raises LookupError (or FieldDoesNotExist) for what it does not know how to evaluate."""
    tests = []
    for child in q.children:
        if isinstance(child, Q):
            tests.append(_condition(model, child))
            continue
        lookup, expected = child
        name, _sep, operation = lookup.partition("__")
        value_of = attrgetter(model._meta.get_field(name).attname)
        if isinstance(expected, F):
            expected_of = attrgetter(model._meta.get_field(expected.name).attname)
        elif hasattr(expected, "resolve_expression"):
            raise LookupError(lookup)
        else:
            expected_of = (lambda constant: lambda row: constant)(expected)
        if operation == "isnull":
            tests.append(lambda row, value_of=value_of, expected_of=expected_of:
                         (value_of(row) is None) == bool(expected_of(row)))
        elif (operation or "exact") in _COMPARE:
            tests.append(_compared(value_of, expected_of, _COMPARE[operation or "exact"]))
        else:
            raise LookupError(lookup)
    either, negated = q.connector == Q.OR, q.negated

    def holds(row):
        results = [test(row) for test in tests]
        if either:
            result = True if True in results else (None if None in results else False)
        else:
            result = False if False in results else (None if None in results else True)
        return (not result) if negated and result is not None else result
    return holds


def _compared(value_of, expected_of, compare):
    def test(row):
        value, expected = value_of(row), expected_of(row)
        return None if value is None or expected is None else compare(value, expected)
    return test


_CONDITIONS: dict = {}  # (model, constraint name) → its condition in Python, or None: the database judges it


def _condition_of(model, constraint):
    key = (model._meta.label, constraint.name)
    if key not in _CONDITIONS:
        try:
            _CONDITIONS[key] = _condition(model, constraint.condition)
        except (LookupError, FieldDoesNotExist):
            _CONDITIONS[key] = None
    return _CONDITIONS[key]


def check_constraints_in_python(instance) -> None:
    """The model's check constraints for a row that is not written (an import's preview, a bulk write):
    evaluated in Python where possible (each condition read once) — the database query Django runs for each
    constraint of each row is what made a preview of thousands of rows slow — and by the database otherwise.
    Unknown (NULL) passes, as in SQL."""
    errors = []
    model = type(instance)
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        holds = _condition_of(model, constraint)
        if holds is not None:
            if holds(instance) is False:
                errors.append(ValidationError(constraint.get_violation_error_message(), code="constraint"))
            continue
        try:
            constraint.validate(model, instance)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)


class RowMaker:
    """Makes many rows of one model fast, as every column's value in order (for insert_values): neither a model
    instance built by keyword, which resolves each field by name, nor one built at all — most of the time a
    seeding of a million initiatives spent on their history.

    The columns not given take their field's default, evaluated once (a constant, or a fresh empty container
    shared by the rows of this maker, which are written and dropped, not edited)."""

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.position = {field.attname: index for index, field in enumerate(fields)}
        self.defaults = [field.get_default() for field in fields]

    def values(self, **values) -> list:
        """Every column's value in order: those given, the defaults for the others."""
        row = list(self.defaults)
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        return row


def insert_rows(model, rows: list) -> None:
    """Insert unsaved rows at once and give each its id, as bulk_create does.

    On PostgreSQL the rows go through COPY, with ids taken from the table's sequence first: bulk_create prepares
    every value of every row in Python, which was most of the time an import of 10,000 initiatives spent writing;
    COPY leaves the values to psycopg's dumpers (a sixth of the CPU). The rows are written as they are: validated
    by the caller (full_clean's clean_fields leaves every value in its Python type), with what save() would set
    (a search text) set by it; auto_now fields are stamped here. No signal is sent, as with bulk_create.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._base_manager.using(connection.alias).bulk_create(rows, batch_size=1000)
        return
    fields = list(model._meta.concrete_fields)
    for field in fields:
        if _stamped(field):
            for row in rows:
                field.pre_save(row, add=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, len(rows)])
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
    _copy(connection, model, fields, map(attrgetter(*[field.attname for field in fields]), rows))
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias


def insert_values(model, rows: list[list]) -> None:
    """Insert rows given as every column's value in order (RowMaker.values), their ids left to the table's
    sequence: rows nobody reads back, such as a seeded history, written without building a model instance
    for each (most of what seeding a million initiatives' history cost in Python). auto_now fields left
    empty are stamped now."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    stamped = [index for index, field in enumerate(fields) if _stamped(field)]
    for row in rows:
        for index in stamped:
            if row[index] is None:
                row[index] = now
    if connection.vendor != "postgresql":
        model._base_manager.using(connection.alias).bulk_create([model(*row) for row in rows], batch_size=1000)
        return
    pk_index = fields.index(model._meta.pk)
    del fields[pk_index]
    _copy(connection, model, fields, (row[:pk_index] + row[pk_index + 1:] for row in rows))


def _stamped(field) -> bool:
    """An auto_now or auto_now_add field, which save() would stamp and bulk writes must."""
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _copy(connection, model, fields, value_rows) -> None:
    """COPY rows of values (one per field, in the fields' order) into the model's table (PostgreSQL). A JSON
    value goes through its field's own adaptation (psycopg has no dumper for a dict); every other value is
    written as it is."""
    quote = connection.ops.quote_name
    json_columns = [(index, field) for index, field in enumerate(fields) if isinstance(field, JSONField)]
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for values in value_rows:
            if json_columns:
                values = list(values)
                for index, field in json_columns:
                    values[index] = field.get_db_prep_save(values[index], connection)
            copy.write_row(values)
