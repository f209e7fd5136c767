from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.curation.curation_data import apply_article_metadata, load_taxonomy, read_curation
from search.ingest.recleaning import reextract_article
from search.ingest.taxonomy import Taxonomy
from search.management.commands.import_articles import run_import
from search.models import Article


class Command(BaseCommand):
    help = "Load the curation data in seeds/ and import the seed articles (idempotent)."

    def handle(self, *args, verbosity: int, **options):
        seeds_dir = settings.BASE_DIR / "seeds"
        try:
            data = read_curation(seeds_dir / "curation.json")
        except ValueError as error:
            raise CommandError(f"{error}. Fix the file and run load_seeds again.") from error
        changed = load_taxonomy(data)
        if changed and Article.objects.exists():
            # New names or keyword rules: tag the existing articles again (manual fields kept).
            taxonomy = Taxonomy.load()
            for article in Article.objects.all():
                reextract_article(article, taxonomy=taxonomy)
            self.stdout.write(f"Taxonomy changed ({changed} entries): articles re-tagged.")
        run_import([seeds_dir], verbosity=verbosity, stdout=self.stdout, style=self.style)
        for message in apply_article_metadata(data):
            self.stdout.write(self.style.WARNING(message))
