from django.core.management.base import BaseCommand

from safecities.demo import data


class Command(BaseCommand):
    help = "Print the demo logins, one per role."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD})")
        for email, name, role, _scope, names, *_rest in data.LOGINS:
            scope = f" for {', '.join(names)}" if names else ""
            self.stdout.write(f"  {role:<22} {email:<28} {name}{scope}")
        self.stdout.write("Open http://127.0.0.1:8000/")
        self.stdout.write("")
