"""Writes of question flags, in the `<entity>_<action>` style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import Question, QuestionFlag
from ..models.flags import COMMENT_MAX_LENGTH
from ..owners import Owner

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def question_flag(
    *, owner: Owner, question: Question, reason: str, comment: str = ""
) -> tuple[QuestionFlag, bool]:
    """Record `owner`'s flag on `question`; True if it is new. While their flag is open,
    flagging again replaces its reason and comment instead of adding a second one."""
    if reason not in QuestionFlag.Reason.values:
        raise ValueError(f"unknown reason {reason!r}")
    fields = {"reason": reason, "comment": comment.strip()[:COMMENT_MAX_LENGTH]}
    mine = QuestionFlag.objects.owned_by(owner.user, owner.anon_token).open()
    for _ in range(2):  # a second try only if a parallel request created it meanwhile
        with transaction.atomic():
            updated = mine.filter(question=question).update(**fields, updated_at=timezone.now())
            if updated:
                return mine.get(question=question), False
            try:
                with transaction.atomic():
                    flag = QuestionFlag.objects.create(
                        question=question, **owner.fields(), **fields
                    )
            except IntegrityError:  # the open-flag constraint: the other request won
                continue
            return flag, True
    raise RuntimeError("the flag was neither created nor found")  # pragma: no cover


def flags_resolve(*, flags: QuerySet[QuestionFlag]) -> int:
    """Mark the open ones of `flags` resolved (the admin's action); how many changed."""
    now = timezone.now()
    return flags.filter(status=QuestionFlag.Status.OPEN).update(
        status=QuestionFlag.Status.RESOLVED, resolved_at=now, updated_at=now
    )


def flags_claim(*, user: User | AnonymousUser | None, anon_token: str) -> int:
    """Hand an anonymous session's flags to the account it logged in to. Where the account
    already has an open flag on the same question, the account's stays and the session's
    copy goes (one open flag per owner and question)."""
    if not anon_token or user is None or not user.is_authenticated:
        return 0
    with transaction.atomic():
        session = QuestionFlag.objects.filter(user__isnull=True, anon_token=anon_token)
        taken = QuestionFlag.objects.open().filter(user=user).values("question")
        session.open().filter(question__in=taken).delete()
        return session.update(user=user, anon_token="")
