from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo login (its authenticator key is public)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        device = TOTPDevice.objects.filter(user__email=email.lower(), name="demo").first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator key.")
        self.stdout.write(f"{totp(device.bin_key, drift=device.drift):06d}")
