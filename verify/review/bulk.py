"""Bulk actions of the queue: one service call per ticked claim, each in its own
transaction, each with the claim's current version, so the rules of the single-claim views
(the two-person rule, the states a transition starts from) hold claim by claim. What one
claim refuses does not stop the others; the result says which were refused and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from claims.models import Claim
from verify.models import Review
from verify.review import services

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Action:
    label: str
    permission: str
    run: Callable[[Claim, User, dict[str, Any]], object]
    needs: str = ""  # the BulkForm field it cannot do without
    # What is worked out once for all the claims before the first (the tags' rows).
    prepare: Callable[[User, dict[str, Any]], dict[str, Any]] = lambda user, data: data


def _proposed(claim: Claim) -> Review:
    found = (
        claim.reviews.filter(status=Review.Status.PROPOSED)
        .select_related("reviewer", "claim")
        .first()
    )
    if found is None:
        raise services.ReviewError("no verdict awaits approval")
    return found


def _tag(claim: Claim, user: User, data: dict[str, Any]) -> object:
    return services.put_tags(target=claim, tags=data["tag_rows"], by=user)


def _look_up_tags(user: User, data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "tag_rows": services.tags_named(data["tags"], user)}


def _dismiss(claim: Claim, user: User, data: dict[str, Any]) -> object:
    return services.dismiss_claim(
        claim=claim, user=user, reason=data["note"], expected_version=claim.version
    )


def _send_back(claim: Claim, user: User, data: dict[str, Any]) -> object:
    return services.return_review(
        review=_proposed(claim), editor=user, comment=data["note"], expected_version=claim.version
    )


def _approve(claim: Claim, user: User, data: dict[str, Any]) -> object:
    return services.approve_review(
        review=_proposed(claim), editor=user, expected_version=claim.version
    )


ACTIONS: dict[str, Action] = {
    "tag": Action("Tag", "verify.tag_claim", _tag, needs="tags", prepare=_look_up_tags),
    "dismiss": Action("Dismiss as not checkable", "claims.change_claim", _dismiss, needs="note"),
    "send_back": Action("Send back (editors)", "verify.approve_review", _send_back, needs="note"),
    "approve": Action("Approve (editors)", "verify.approve_review", _approve),
}


@dataclass
class Outcome:
    done: list[int] = field(default_factory=list)
    refused: dict[str, list[int]] = field(default_factory=dict)  # why → claim ids

    def message(self) -> str:
        """'2 done, 3 refused (no verdict awaits approval: claims 4, 5; …)'."""
        n_refused = sum(len(ids) for ids in self.refused.values())
        text = f"{len(self.done)} done, {n_refused} refused"
        if self.refused:
            reasons = "; ".join(
                f"{why}: claim{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))}"
                for why, ids in self.refused.items()
            )
            text += f" ({reasons})"
        return text + "."


def _why(exc: services.ReviewError) -> str:
    if isinstance(exc, services.StaleVersion):
        return "it changed while you chose (open it to see what)"
    return str(exc).rstrip(".")


def run(*, name: str, claims: Sequence[Claim], user: User, data: dict[str, Any]) -> Outcome:
    action = ACTIONS[name]
    outcome = Outcome()
    try:
        data = action.prepare(user, data)  # once for all the claims
    except services.ReviewError as exc:
        outcome.refused[_why(exc)] = [c.pk for c in claims]
        return outcome
    for claim in claims:
        try:
            action.run(claim, user, data)
        except services.ReviewError as exc:
            outcome.refused.setdefault(_why(exc), []).append(claim.pk)
        else:
            outcome.done.append(claim.pk)
    return outcome
