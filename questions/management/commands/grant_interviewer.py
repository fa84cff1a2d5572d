"""Put accounts in the "interviewer" group, which opens the question-set area to them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.models.interviews import INTERVIEWER_GROUP


class Command(BaseCommand):
    help = "Let users build question sets, send invites and read results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")
        parser.add_argument(
            "--revoke", action="store_true", help="take the role away instead of granting it"
        )

    def handle(
        self, *args: Any, usernames: list[str], revoke: bool = False, **options: Any
    ) -> None:
        users = get_user_model().objects.filter(username__in=usernames)
        missing = sorted(set(usernames) - {user.get_username() for user in users})
        if missing:
            raise CommandError(
                f"No account named {', '.join(missing)}: check the spelling, or let them sign up "
                "first. Nothing was changed."
            )
        group, _ = Group.objects.get_or_create(name=INTERVIEWER_GROUP)
        for user in users:
            if revoke:
                user.groups.remove(group)
                self.stdout.write(f"{user.get_username()} is no longer an interviewer.")
            else:
                user.groups.add(group)
                self.stdout.write(f"{user.get_username()} is now an interviewer: /sets/ is open.")
