from django.core.management.base import BaseCommand

from incubator.merchants.services.graduation import regenerate_certificate_pdfs


class Command(BaseCommand):
    help = (
        "Make the PDFs of valid certificates again with the office's current signature and seal "
        "(all of them, or those whose codes are given). Issued PDFs are otherwise never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="certificate codes (default: every valid certificate)")

    def handle(self, *args, codes, **options):
        made = regenerate_certificate_pdfs(codes=[code.strip().upper() for code in codes] or None)
        self.stdout.write(self.style.SUCCESS(f"{made} certificate PDF(s) made again."))
