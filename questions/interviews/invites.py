"""Invites: links that let a candidate take an interviewer's set as a timed attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..models import Attempt, InterviewSet, Invite
from ..owners import Owner
from ..quizzes import services as attempts


class InviteRefused(Exception):
    """The invite cannot start an attempt; the message says why, for the candidate."""


# The invite page adds whom to ask for a new link, as for every refusal.
GONE = "This invite has been withdrawn by the interviewer."


def validate_invite_expiry(expires_at: datetime | None) -> None:
    """The one rule for an invite's expiry, used by the page's form and the API alike: an
    invite born expired would be a link that only ever says "expired"."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError("Choose a time in the future.", code="past")


def invite_create(
    *,
    interview_set: InterviewSet,
    label: str = "",
    expires_at: datetime | None = None,
    max_attempts: int | None = None,
) -> Invite:
    return Invite.objects.create(
        interview_set=interview_set,
        label=label.strip(),
        expires_at=expires_at,
        max_attempts=max_attempts,
    )


@dataclass(frozen=True)
class Batch:
    invites: list[Invite]
    replayed: bool  # the form was sent before: these are the invites it made then
    # Replayed with other lines or settings (edited after going back to the page): nothing
    # was made, and the page should ask to send it again rather than say "done".
    changed: bool = False


def invites_create(
    *,
    interview_set: InterviewSet,
    labels: list[str],
    expires_at: datetime | None = None,
    max_attempts: int | None = None,
    key: str = "",
) -> Batch:
    """One invite per label (one candidate each, each its own link), in one INSERT.

    `key` is the create form's one-time key. The set's row is locked first, so two copies of
    one POST (a double click, a resent form) queue, and the second finds the batch the first
    made instead of making it again. Without a key every call makes a new batch.
    """
    with transaction.atomic():
        if key:
            InterviewSet.objects.select_for_update().filter(pk=interview_set.pk).first()
            made = list(interview_set.invites.filter(batch=key).order_by("pk"))
            if made:
                same = [(i.label, i.expires_at, i.max_attempts) for i in made] == [
                    (label.strip(), expires_at, max_attempts) for label in labels
                ]
                return Batch(made, replayed=True, changed=not same)
        now = timezone.now()
        batch = [
            Invite(
                interview_set=interview_set,
                label=label.strip(),
                expires_at=expires_at,
                max_attempts=max_attempts,
                created_at=now,
                batch=key,
            )
            for label in labels
        ]
        return Batch(Invite.objects.bulk_create(batch), replayed=False)


def invites_listed(interview_set: InterviewSet) -> list[tuple[Invite, int]]:
    """The set's invites with the attempts each started: the newest batch first, each batch
    in the order its lines were pasted."""
    listed = interview_set.invites.annotate(used=Count("attempts")).order_by("-created_at", "pk")
    return [(invite, invite.used) for invite in listed]


def invite_revoke(*, invite: Invite) -> None:
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])


def invite_get(token: str) -> Invite | None:
    return Invite.objects.select_related("interview_set").filter(token=token).first()


def invite_attempt_of(invite: Invite, owner: Owner) -> Attempt | None:
    """The visitor's latest attempt on this invite, running (so reopening the link resumes
    it) or submitted (so reopening it says when, and offers nothing to start)."""
    if owner.user is None and not owner.anon_token:
        return None
    mine = Attempt.objects.owned_by(owner.user, owner.anon_token)
    attempt = mine.filter(invite=invite).order_by("-started_at").first()
    return attempts.attempt_refresh(attempt) if attempt else None


def invite_start(*, invite: Invite, owner: Owner, candidate_name: str) -> Attempt:
    """Draw the set as an attempt waiting at its start page, counting against the invite's
    limit. Reopening the link leads back to that page until the candidate presses Start."""
    name = candidate_name.strip()
    if not name:
        raise InviteRefused("Enter your name so the interviewer knows whose answers these are.")
    with transaction.atomic():
        # The set's row first, as its deletion takes it (sets.sets_delete) before listing
        # the attempts to unlink; then the invite, so that two simultaneous starts count one
        # after the other. Either may have gone since the page was shown.
        try:
            InterviewSet.objects.select_for_update().get(pk=invite.interview_set_id)
            locked = (
                Invite.objects.select_for_update(of=("self",))
                .select_related("interview_set")
                .get(pk=invite.pk)
            )
        except (InterviewSet.DoesNotExist, Invite.DoesNotExist):
            raise InviteRefused(GONE) from None
        refusal = locked.refusal(locked.attempts.count())
        if refusal:
            raise InviteRefused(refusal)
        try:
            return attempts.attempt_start(
                owner=owner,
                kind=Attempt.Kind.INTERVIEW,
                interview_set=locked.interview_set,
                invite=locked,
                candidate_name=name[:100],
                begin=False,  # the attempt's start page starts the clock
            )
        except attempts.QuizError as error:
            raise InviteRefused(str(error)) from None
