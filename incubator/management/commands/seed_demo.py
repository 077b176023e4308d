from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from wagtail import hooks

from core import demo as core_demo
from incubator import demo as site_demo


class Command(BaseCommand):
    help = "Load the demo county (places, products, pages, people, courses, cohorts...). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--until",
            type=int,
            default=None,
            help="Load the apps' parts up to this order only (20 courses, 30 recruitment, 40 mentors, "
            "50 merchants, 60 villages and cooperatives, 70 pavilion): a smaller county, for drills.",
        )

    def handle(self, *args, **options):
        # Demo people have demo addresses: their notifications are stored and shown in the app,
        # but the mail and SMS they trigger while seeding stay in memory instead of the console.
        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SMS_BACKEND="core.sms.LocmemSMSBackend"
        )
        with quiet, transaction.atomic():
            core_demo.seed()
            home = site_demo.seed_site()
            # Each app adds its part with the `register_demo_seed` hook: (order, function(home)).
            steps = sorted((hook() for hook in hooks.get_hooks("register_demo_seed")), key=lambda step: step[0])
            for order, fn in steps:
                if options["until"] is None or order <= options["until"]:
                    fn(home)
        self.stdout.write(self.style.SUCCESS("Demo county loaded."))
        self.stdout.write(f"Sign in with any of these (password: {core_demo.DEMO_PASSWORD}):")
        for email, name, _phone, role, superuser in core_demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<22} {name}  ({'superuser' if superuser else role})")
