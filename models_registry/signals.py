"""What the registry tells the apps built on it, once the change has committed."""

from django.dispatch import Signal

# Sent after the transaction that changed an initiative's status (or its lifecycle) commits, with
# initiative, from_status, to_status, actor and reason: evaluations and reports react to it without the
# registry knowing them.
initiative_status_changed = Signal()
