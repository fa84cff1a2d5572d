"""Pages of the interviewer area (/sets/) and the candidate's invite page (/invite/<token>/).

Every set URL goes through `_own_set`: the owner (or staff) gets the set, anyone else 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..catalog import practice
from ..catalog.export import entry_kind, left_out_counts
from ..catalog.views import anki_response
from ..clients import client_address
from ..content.anki import left_out_sentence
from ..content.documents import Problem
from ..models import (
    Attempt,
    AttemptItem,
    InterviewEntry,
    InterviewSet,
    Invite,
    Question,
    QuestionSet,
)
from ..models.interviews import is_interviewer
from ..numbers import plain_int
from ..owners import AuthenticatedHttpRequest, request_owner
from ..quizzes.review import build_review
from ..quizzes.services import QuizError
from ..quizzes.views import exercise_figure_response
from . import grading as grading
from . import interchange as interchange
from . import invites as invites
from . import results as results
from . import sets as sets
from .forms import (
    CandidateForm,
    ExerciseEntryForm,
    ImportForm,
    InviteForm,
    MoveForm,
    QuestionEntryForm,
    QuestionFileForm,
    RandomEntryForm,
    SetForm,
    grade_form,
)


def interviewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_interviewer(request.user):
            return render(request, "interviews/not_interviewer.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _own_set(request: HttpRequest, set_id: int) -> InterviewSet:
    return get_object_or_404(InterviewSet.objects.visible_to(request.user), pk=set_id)


def _own_entry(request: HttpRequest, set_id: int, entry_id: int) -> InterviewEntry:
    return get_object_or_404(InterviewEntry, pk=entry_id, interview_set=_own_set(request, set_id))


@require_GET
@interviewer_required
def set_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = InterviewSet.objects.filter(owner=request.user).annotate(
        size=Count("entries", distinct=True),
        candidates=Count("attempts", distinct=True),
        open_invites=Count("invites", filter=Q(invites__revoked_at=None), distinct=True),
    )
    curated = QuestionSet.objects.active().annotate(size=Count("entries")).order_by("title")
    return render(
        request,
        "interviews/set_list.html",
        {"sets": mine, "curated": curated, "import_form": ImportForm()},
    )


@require_http_methods(["GET", "POST"])
@interviewer_required
def set_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SetForm(request.POST or None, initial={"time_limit_minutes": 30})
    if request.method == "POST" and form.is_valid():
        interview_set = sets.set_create(owner=request.user, **form.cleaned_data)
        messages.success(request, "Set created: now add questions.")
        return redirect(interview_set)
    return render(request, "interviews/set_new.html", {"form": form}, status=_status(form))


def _status(form: forms.BaseForm) -> int:
    return 400 if form.is_bound and form.errors else 200


def _bank_page(
    request: HttpRequest, interview_set: InterviewSet
) -> tuple[practice.QuestionFilter, Page[Question], set[int]]:
    filters = practice.QuestionFilter.from_query(request.GET)
    questions = filters.apply(Question.objects.active().select_related("topic"))
    page = Paginator(questions, 15).get_page(request.GET.get("page"))
    in_set = set(interview_set.entries.exclude(question=None).values_list("question_id", flat=True))
    return filters, page, in_set


@require_http_methods(["GET", "POST"])
@interviewer_required
def set_detail(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """The builder: settings, entries in order, and the bank to add from."""
    interview_set = _own_set(request, set_id)
    form = SetForm(request.POST or None, instance=interview_set)
    if request.method == "POST" and form.is_valid():
        sets.set_update(interview_set=interview_set, **form.cleaned_data)
        messages.success(request, "Settings saved.")
        return redirect(interview_set)
    filters, page, in_set = _bank_page(request, interview_set)
    entries = list(interview_set.entries.select_related("question__topic", "random_topic"))
    context = {
        "set": interview_set,
        "form": form,
        "entries": entries,
        "anki_left_out": left_out_sentence(left_out_counts(map(entry_kind, entries))),
        "filters": filters,
        "page": page,
        "in_set": in_set,
        "querystring": filters.querystring(),
        **practice.filter_choices(),
        "exercise_form": ExerciseEntryForm(),
        "random_form": RandomEntryForm(),
        "import_form": QuestionFileForm(),
    }
    return render(request, "interviews/set_detail.html", context, status=_status(form))


@require_POST
@interviewer_required
def entry_add(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    kind = request.POST.get("entry", "question")
    form_class = {
        "question": QuestionEntryForm,
        "exercise": ExerciseEntryForm,
        "random": RandomEntryForm,
    }.get(kind, QuestionEntryForm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            entry = sets.entry_add(interview_set=interview_set, **form.cleaned_data)
        except sets.SetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Added as entry {entry.position}: {entry.describe()}.")
    else:
        problems = "; ".join(
            f"{form.fields[name].label or name}: {' '.join(map(str, errors))}"
            for name, errors in form.errors.items()
        )
        messages.error(request, f"Not added. {problems}")
    # Back to the same page of the bank search ("?q=…&page=2#bank"), never to another site.
    back = request.POST.get("next", "")
    return redirect(
        reverse("interviews:set", args=[set_id]) + (back if back.startswith("?") else "")
    )


@require_POST
@interviewer_required
def entry_move(request: AuthenticatedHttpRequest, set_id: int, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, set_id, entry_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        sets.entry_move(entry=entry, position=form.cleaned_data["position"])
    else:
        messages.error(request, "Give the new position as a whole number from 1.")
    return redirect(reverse("interviews:set", args=[set_id]) + "#entries")


@require_POST
@interviewer_required
def entry_remove(request: AuthenticatedHttpRequest, set_id: int, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, set_id, entry_id)
    label = entry.describe()
    sets.entry_remove(entry=entry)
    messages.success(request, f"Removed: {label}.")
    return redirect(reverse("interviews:set", args=[set_id]) + "#entries")


@require_POST
@interviewer_required
def set_duplicate(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    copy = sets.set_duplicate(interview_set=_own_set(request, set_id), owner=request.user)
    messages.success(request, "Duplicated: this is the copy.")
    return redirect(copy)


@require_POST
@interviewer_required
def set_from_curated(request: AuthenticatedHttpRequest, curated_id: str) -> HttpResponse:
    curated = get_object_or_404(QuestionSet.objects.active(), ext_id=curated_id)
    copy = sets.set_from_curated(question_set=curated, owner=request.user)
    messages.success(request, f"Copied “{curated.title}” into your sets.")
    return redirect(copy)


@require_http_methods(["GET", "POST"])
@interviewer_required
def set_delete(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    if request.method == "POST":
        title = interview_set.title
        sets.set_delete(interview_set=interview_set)
        messages.success(request, f"Deleted “{title}”, its invites and its results.")
        return redirect("interviews:list")
    return render(
        request,
        "interviews/set_delete.html",
        {"set": interview_set, "candidates": interview_set.attempts.count()},
    )


@require_GET
@interviewer_required
def set_export(request: AuthenticatedHttpRequest, set_id: int, fmt: str) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    if fmt not in ("md", "json", "moodle"):
        raise Http404("Export as md, json or moodle.")
    try:
        name, content_type, text = interchange.set_export(interview_set, fmt)
    except sets.SetError as error:
        messages.error(request, str(error))
        return redirect(reverse("interviews:set", args=[set_id]) + "#files")
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@interviewer_required
def set_anki(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    return anki_response(sets.set_anki(_own_set(request, set_id)), public=False)


# Reports longer than this end with "and N more": the page stays readable.
MAX_REPORT_LINES = 20


@require_http_methods(["GET", "POST"])
@interviewer_required
def set_import_questions(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """Moodle XML or GIFT questions added to the end of the set (all or nothing)."""
    interview_set = _own_set(request, set_id)
    form = QuestionFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = interchange.set_import_questions(
            interview_set=interview_set,
            name=upload.name,
            raw=upload.read(),
            topic=form.cleaned_data["topic"],
            difficulty=form.cleaned_data["difficulty"],
        )
        if not result.errors:
            draws = f" and {len(result.draws)} random draw(s)" if result.draws else ""
            messages.success(
                request, f"Added {len(result.questions)} question(s){draws} from {upload.name}."
            )
            report = result.skipped + result.notes
            for line in report[:MAX_REPORT_LINES]:
                messages.warning(request, line)
            if len(report) > MAX_REPORT_LINES:
                messages.warning(request, f"… and {len(report) - MAX_REPORT_LINES} more.")
            return redirect(reverse("interviews:set", args=[set_id]) + "#entries")
    return render(
        request,
        "interviews/question_import.html",
        {"set": interview_set, "form": form, "result": result},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@interviewer_required
def set_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    problems: list[Problem] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        interview_set, problems = sets.set_import(
            owner=request.user, name=upload.name, raw=upload.read()
        )
        if interview_set is not None:
            messages.success(request, f"Imported “{interview_set.title}”.")
            return redirect(interview_set)
    return render(
        request, "interviews/set_import.html", {"form": form, "problems": problems}, status=400
    )


@require_GET
@interviewer_required
def question_preview(request: AuthenticatedHttpRequest, question_id: str) -> HttpResponse:
    """A bank question as an interviewer sees it: keys, model answer, rubric, notes."""
    # The bank, and the questions this interviewer imported into their own sets.
    mine = Q(private=False) | Q(owner=request.user)
    question = get_object_or_404(
        Question.everything.filter(mine).select_related("topic").prefetch_related("tags"),
        ext_id=question_id,
    )
    return render(request, "interviews/question_preview.html", {"question": question})


@require_http_methods(["GET", "POST"])
@interviewer_required
def invite_list(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = invites.invites_create(interview_set=interview_set, **form.cleaned_data)
        created = batch.invites
        if batch.changed:
            # The same copy of the form, edited: keep what was typed, under a new key, and
            # let the interviewer check the list before sending it again.
            form = InviteForm({**request.POST.dict(), "key": InviteForm().initial["key"]})
            form.is_valid()
            form.add_error(
                None,
                f"This copy of the form already created {len(created)} invite"
                f"{'s' if len(created) != 1 else ''} (listed above); nothing was added. "
                "Check the list, then press Create again to add these.",
            )
            return _invite_page(request, interview_set, form, status=409)
        if batch.replayed:
            messages.info(
                request, "This form was already sent: its invites are below, none was added."
            )
        elif len(created) == 1:
            link = request.build_absolute_uri(created[0].get_absolute_url())
            messages.success(request, f"Invite created. Send this link: {link}")
        else:
            messages.success(
                request, f"{len(created)} invites created, one per line: copy each link below."
            )
        return redirect("interviews:invites", set_id=set_id)
    return _invite_page(request, interview_set, form, status=_status(form))


def _invite_page(
    request: HttpRequest, interview_set: InterviewSet, form: InviteForm, *, status: int
) -> HttpResponse:
    now = timezone.now()
    rows = [
        # Withdrawing only means something while the link can still start an attempt.
        (invite, used, invite.state(used, now), not invite.refusal(used, now))
        for invite, used in invites.invites_listed(interview_set)
    ]
    return render(
        request,
        "interviews/invite_list.html",
        {"set": interview_set, "form": form, "invites": rows},
        status=status,
    )


@require_POST
@interviewer_required
def invite_revoke(request: AuthenticatedHttpRequest, set_id: int, invite_id: int) -> HttpResponse:
    invite = get_object_or_404(Invite, pk=invite_id, interview_set=_own_set(request, set_id))
    invites.invite_revoke(invite=invite)
    messages.success(request, "Invite withdrawn: the link no longer starts attempts.")
    return redirect("interviews:invites", set_id=set_id)


@require_GET
@interviewer_required
def set_results(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    return render(
        request,
        "interviews/results.html",
        {"set": interview_set, "results": results.set_results(interview_set)},
    )


@require_GET
@interviewer_required
def set_results_csv(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    text = results.results_csv(interview_set, results.set_results(interview_set))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{set_id}.csv"'
    return response


def _own_result(
    request: HttpRequest, set_id: int, attempt_id: UUID
) -> tuple[InterviewSet, Attempt]:
    interview_set = _own_set(request, set_id)
    return interview_set, get_object_or_404(results.result_attempts(interview_set), pk=attempt_id)


@require_GET
@interviewer_required
def result_figure(
    request: AuthenticatedHttpRequest, set_id: int, attempt_id: UUID, position: int
) -> HttpResponse:
    _set, attempt = _own_result(request, set_id, attempt_id)
    item = attempt.items.filter(position=position).exclude(exercise_kind="").first()
    if item is None or not attempt.is_finished:
        raise Http404("No figure to show here.")
    return exercise_figure_response(request, item)


@require_GET
@interviewer_required
def result_detail(request: AuthenticatedHttpRequest, set_id: int, attempt_id: UUID) -> HttpResponse:
    interview_set, attempt = _own_result(request, set_id, attempt_id)
    items = list(attempt.items.all())
    review = (
        build_review(
            attempt,
            items,
            figure_url=lambda item: reverse(
                "interviews:result_figure", args=[set_id, attempt.pk, item.position]
            ),
            client=client_address(request),
        )
        if attempt.is_finished
        else None
    )
    return render(
        request,
        "interviews/result_detail.html",
        {
            "set": interview_set,
            "attempt": attempt,
            "items": items,
            "review": review,
            "marks": results.RUBRIC_MARKS,
        },
    )


@require_POST
@interviewer_required
def result_grade(
    request: AuthenticatedHttpRequest, set_id: int, attempt_id: UUID, position: int
) -> HttpResponse:
    _, attempt = _own_result(request, set_id, attempt_id)
    item = get_object_or_404(attempt.items.select_related("question"), position=position)
    form = grade_form(item.question.rubric if item.question is not None else [], request.POST)
    if form.is_valid():
        marks = [value for name, value in form.cleaned_data.items() if name.startswith("mark_")]
        try:
            results.attempt_grade_open(
                attempt=attempt,
                position=position,
                marks=marks,
                comment=form.cleaned_data["comment"],
                # The grade the page was drawn over: a change made since is not overwritten.
                expect_version=request.POST.get("version"),
            )
        except results.GradeConflict:
            messages.error(
                request,
                f"Question {position}: the grade changed after this page was opened (in "
                "another tab or by someone else), so your marks were not saved. It now shows "
                "the grade that stands; change it again if you need to.",
            )
        except QuizError as error:
            messages.error(request, f"Question {position}: {error}")
        else:
            messages.success(request, f"Question {position}: grade saved.")
    else:
        messages.error(request, f"Question {position}: give every rubric point a mark.")
    return redirect(reverse("interviews:result", args=[set_id, attempt.pk]) + f"#q-{position}")


# The grading queue -------------------------------------------------------------------


def _cursor(request: HttpRequest) -> int | None:
    return plain_int(request.GET.get("after", ""))


@require_GET
@interviewer_required
def grading_next(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    """The next open answer to grade: after `?after=<item>` (the one just saved or
    skipped), in the queue's order; "Everything is graded" when none is left."""
    interview_set = _own_set(request, set_id)
    queue = grading.set_grading_queue(interview_set)
    entry, wrapped = queue.next_after(_cursor(request))
    item = grading.queue_item(interview_set, entry.item_id) if entry else None
    if entry is None or item is None:
        return render(request, "interviews/grading.html", {"set": interview_set, "queue": queue})
    return _grading_page(request, interview_set, queue, item, wrapped=wrapped)


def _grading_page(
    request: HttpRequest,
    interview_set: InterviewSet,
    queue: grading.Queue,
    item: AttemptItem,
    *,
    wrapped: bool = False,
    form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    assert item.question is not None  # the queue holds open bank questions only
    entry = next((e for e in queue.entries if e.item_id == item.pk), None)
    if entry is None:  # queue_item and the queue hold the same answers; never trust that blindly
        raise Http404("No such answer to grade in this set.")
    points = item.question.rubric or ["Overall answer"]
    data = form.data if form is not None else {}
    return render(
        request,
        "interviews/grading.html",
        {
            "set": interview_set,
            "queue": queue,
            "item": item,
            "attempt": item.attempt,
            "place": queue.place_of(entry),
            "wrapped": wrapped,
            # (field name, rubric point, the mark chosen before a failed save)
            "points": [
                (f"mark_{n}", point, data.get(f"mark_{n}")) for n, point in enumerate(points)
            ],
            "marks": [
                (str(mark), label) for mark, label in zip(results.RUBRIC_MARKS, "0½1", strict=True)
            ],
            "comment": data.get("comment", ""),
            "version": results.grade_version(item),
            "errors": form.errors if form is not None else {},
        },
        status=status,
    )


@require_POST
@interviewer_required
def grading_save(request: AuthenticatedHttpRequest, set_id: int, item_id: int) -> HttpResponse:
    interview_set = _own_set(request, set_id)
    item = grading.queue_item(interview_set, item_id)
    if item is None:
        raise Http404("No such answer to grade in this set.")
    assert item.question is not None
    form = grade_form(item.question.rubric, request.POST)
    if not form.is_valid():
        queue = grading.set_grading_queue(interview_set)
        return _grading_page(request, interview_set, queue, item, form=form, status=400)
    marks = [value for name, value in form.cleaned_data.items() if name.startswith("mark_")]
    who = item.attempt.candidate_name
    try:
        results.attempt_grade_open(
            attempt=item.attempt,
            position=item.position,
            marks=marks,
            comment=form.cleaned_data["comment"],
            # Hidden in the page: "" for an answer that was ungraded when it was drawn.
            expect_version=request.POST.get("version", ""),
        )
    except results.GradeConflict as conflict:
        standing = conflict.item
        if standing.graded_at is None:  # a form that names a grade this answer never had
            messages.error(request, "This page was out of date: nothing was saved.")
            return redirect("interviews:grading", set_id=set_id)
        when = timezone.localtime(standing.graded_at)
        messages.warning(
            request,
            f"{who}’s answer to “{item.title}” was already graded at {when:%H:%M} "
            f"({round(100 * (standing.score or 0))}%), in another tab or by someone else. "
            "Your marks were not saved; to change the grade, open the candidate’s results.",
        )
    except QuizError as error:
        messages.error(request, f"{who}, “{item.title}”: {error}")
    else:
        messages.success(request, f"Saved: {who}, “{item.title}”.")
    return redirect(reverse("interviews:grading", args=[set_id]) + f"?after={item.pk}")


# The candidate's side -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invite_open(request: HttpRequest, token: str) -> HttpResponse:
    invite = invites.invite_get(token)
    if invite is None:
        # A candidate's page, not the site's general 404: they came from a message, and what
        # helps is checking the whole link or asking the interviewer.
        return render(request, "interviews/invite_missing.html", status=404)
    # Opening the link stores nothing; starting the attempt (a POST) creates the session.
    owner = request_owner(request, create=request.method == "POST")
    mine = invites.invite_attempt_of(invite, owner)
    if mine is not None and not mine.is_finished:
        return redirect(mine)
    if mine is not None:
        return render(
            request,
            "interviews/invite_submitted.html",
            {"invite": invite, "set": invite.interview_set, "attempt": mine},
        )
    initial = (
        {"name": request.user.get_full_name() or request.user.get_username()}
        if (request.user.is_authenticated)
        else {}
    )
    form = CandidateForm(request.POST or None, initial=initial)
    refusal = invite.refusal(invite.attempts.count())
    status = 410 if refusal else 200
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            attempt = invites.invite_start(
                invite=invite, owner=owner, candidate_name=form.cleaned_data["name"]
            )
        except invites.InviteRefused as error:
            refusal, status = str(error), 410
        else:
            return redirect(attempt)
    elif request.method == "POST" and not refusal:
        status = 400
    interview_set = invite.interview_set
    return render(
        request,
        "interviews/invite_open.html",
        {
            "invite": invite,
            "set": interview_set,
            "form": form,
            "refusal": refusal,
            "size": sum(
                n or 1 for n in interview_set.entries.values_list("random_count", flat=True)
            ),
            "grace": settings.QUIZ_GRACE_SECONDS,
        },
        status=status,
    )
