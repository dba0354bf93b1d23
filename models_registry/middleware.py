"""Middleware of the registry."""

from .scope import scope_checks


class ScopeCheckMiddleware:
    """While a request is served, scoped models fail closed (scope.ScopedManager): a view that forgets to say
    for whom it reads raises instead of showing every row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope_checks():
            return self.get_response(request)
