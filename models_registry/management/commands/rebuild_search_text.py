from django.core.management.base import BaseCommand

from models_registry.search import rebuild_search_texts


class Command(BaseCommand):
    help = "Recompute the stored search text of every unit, organisation and initiative (after a folding change)."

    def handle(self, *args, **options):
        for model, rows in rebuild_search_texts().items():
            self.stdout.write(f"{model}: {rows:,}")
