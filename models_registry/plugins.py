"""Where the apps built on the registry plug into the pages it owns, without the registry knowing them.

- The admin's "work to do" box (`register_tasks`): each app says what waits for a person (registrations to
  review, score sheets to fill, proposals to decide), with a count and a link.
- The public home page's headline figures (`register_figures`): each app adds its figures (models
  recognised, highly effective and replicable, commendations) in its order.

- Demo data (`register_demo_data`): after `seed_demo` has filled a province with the registry's data, each
  app adds its own (past conferences, commendations) and returns a line for the operator.
- Demo accounts (`register_demo_accounts`): each app adds its personas (models_registry.demo_accounts).

Apps register their providers in their AppConfig.ready(). Roles (roles.py) and the "initiative status
changed" signal (signals.py) are the other plug-in points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from .formatting import thousands, vnd


@dataclass(frozen=True)
class Task:
    """Something waiting for a person: "Đăng ký đang chờ bạn thẩm định: 3", linked to the filtered list."""

    label: str | Promise
    count: int
    url: str


@dataclass(frozen=True)
class Figure:
    """One headline figure of the home page, e.g. 1.234 "mô hình được công nhận"."""

    key: str
    label: str | Promise
    value: int
    money: bool = False

    @property
    def display(self) -> str:
        return vnd(self.value) if self.money else thousands(self.value)

    def described(self) -> str:
        """As a sentence reads it: "553 mô hình đã đăng ký", "giá trị huy động 1.234.567 ₫"."""
        return f"{self.label} {self.display}" if self.money else f"{self.display} {self.label}"


class Figures(list):
    """The headline figures in their order; `figures.recognised` reads one by its key."""

    def __getattr__(self, key):
        for figure in self:
            if figure.key == key:
                return figure.value
        raise AttributeError(key)

    def described(self) -> list[str]:
        return [figure.described() for figure in self]


TaskProvider = Callable[[object], Iterable[Task]]
FigureProvider = Callable[[], Iterable[Figure]]
# (the province seeded, a random generator) → a line for the operator, or "".
DemoDataProvider = Callable[[object, object], str]
# (the demo place: province and commune) → the lines describing the accounts created.
DemoAccountsProvider = Callable[[object], Iterable[str]]

_task_providers: list[tuple[int, TaskProvider]] = []
_figure_providers: list[tuple[int, FigureProvider]] = []
_demo_data_providers: list[tuple[int, DemoDataProvider]] = []
_demo_account_providers: list[tuple[int, DemoAccountsProvider]] = []


def _register(providers: list, provider, order: int):
    def add(function):
        if function not in [registered for _order, registered in providers]:
            providers.append((order, function))
            providers.sort(key=lambda item: item[0])
        return function

    return add(provider) if provider is not None else add


def register_tasks(provider: TaskProvider | None = None, *, order: int = 100):
    """Add what waits for a person to the admin's "work to do" box (usable as a decorator)."""
    return _register(_task_providers, provider, order)


def register_figures(provider: FigureProvider | None = None, *, order: int = 100):
    """Add headline figures to the public home page (usable as a decorator)."""
    return _register(_figure_providers, provider, order)


def register_demo_data(provider: DemoDataProvider | None = None, *, order: int = 100):
    """Add an app's demo data to every province `seed_demo` fills (usable as a decorator)."""
    return _register(_demo_data_providers, provider, order)


def register_demo_accounts(provider: DemoAccountsProvider | None = None, *, order: int = 100):
    """Add an app's demo personas to `create_demo_accounts` (usable as a decorator)."""
    return _register(_demo_account_providers, provider, order)


def demo_data_providers() -> list[DemoDataProvider]:
    return [provider for _order, provider in _demo_data_providers]


def demo_account_providers() -> list[DemoAccountsProvider]:
    return [provider for _order, provider in _demo_account_providers]


def tasks_for(user) -> list[Task]:
    if user is None or not user.is_authenticated:
        return []
    return [task for _order, provider in _task_providers for task in provider(user)]


def headline_figures() -> Figures:
    return Figures(figure for _order, provider in _figure_providers for figure in provider())
