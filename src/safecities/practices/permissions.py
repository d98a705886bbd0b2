"""Who may do what in the knowledge bank. Pages and the API ask these same rules.

Any signed-in member may propose a practice and edit it while it is a draft of theirs; the
secretariat reviews, publishes and unpublishes, and may edit any practice. A published practice
is read by everyone when it is public, by signed-in members when it is for members only; a
draft or submitted practice only by its author and the secretariat.
"""

from safecities.core.permissions import rule
from safecities.network.permissions import is_secretariat

from . import states
from .models import Practice, Publication


def _author(user, practice: Practice) -> bool:
    return practice.created_by_id is not None and practice.created_by_id == user.pk


@rule("practices.propose")
def propose(user, obj=None) -> bool:
    """Every signed-in member may draft a practice."""
    return True


@rule("practices.edit")
def edit(user, practice: Practice | None = None) -> bool:
    """The author while it is a draft; the secretariat always."""
    if is_secretariat(user):
        return True
    if practice is None:
        return False
    return _author(user, practice) and states.submittable(practice)


@rule("practices.review")
def review(user, obj=None) -> bool:
    return is_secretariat(user)


@rule("practices.manage_publications")
def manage_publications(user, obj=None) -> bool:
    return is_secretariat(user)


@rule("practices.view")
def view(user, practice: Practice) -> bool:
    """Signed-in users; `can_view` also answers for visitors."""
    return can_view(user, practice)


def can_view(user, practice: Practice) -> bool:
    """Published public practices for everyone; members-only ones for members; unpublished ones
    for their author and the secretariat. `has_perm` refuses every visitor, so pages ask this."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    if practice.published:
        return practice.visibility == Practice.Visibility.PUBLIC or signed_in
    return signed_in and (_author(user, practice) or is_secretariat(user))


def can_view_publication(user, publication: Publication) -> bool:
    return publication.public or bool(getattr(user, "is_authenticated", False))
