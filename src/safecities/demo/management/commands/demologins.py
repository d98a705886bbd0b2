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
        self.stdout.write("")
        self.stdout.write(
            "Two-factor sign-in: these logins are asked for a code after the password."
        )
        self.stdout.write(
            "Add the secret to an authenticator app (TOTP, 6 digits, 30 s), or print the"
        )
        self.stdout.write("current code with `safecities democode EMAIL`:")
        from base64 import b32encode
        from binascii import unhexlify

        for email, _name, role, *_rest in data.LOGINS:
            if role in ("secretariat", "funder_officer"):
                secret = b32encode(unhexlify(data.demo_totp_key(email))).decode()
                self.stdout.write(f"  {email:<28} {secret}")
        self.stdout.write("Open http://127.0.0.1:8000/")
        self.stdout.write("")
