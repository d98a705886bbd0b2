"""The charter in the API: the six goals and the shared vocabularies."""

from ninja import Router, Schema
from ninja.pagination import paginate

from safecities.charter import selectors
from safecities.charter.models import Goal, Term

from .paging import PageNumberPagination

router = Router(tags=["charter"])


class GoalOut(Schema):
    code: str
    position: int
    name: str
    description: str
    names: dict
    descriptions: dict

    @staticmethod
    def resolve_name(obj: Goal) -> str:
        return obj.display_name

    @staticmethod
    def resolve_description(obj: Goal) -> str:
        return obj.display_description

    @staticmethod
    def resolve_names(obj: Goal) -> dict:
        return obj.name

    @staticmethod
    def resolve_descriptions(obj: Goal) -> dict:
        return obj.description


class TermOut(Schema):
    vocabulary: str
    code: str
    label: str
    labels: dict
    active: bool

    @staticmethod
    def resolve_label(obj: Term) -> str:
        return obj.display_label

    @staticmethod
    def resolve_labels(obj: Term) -> dict:
        return obj.label


@router.get("/goals", response=list[GoalOut])
@paginate(PageNumberPagination, page_size=50)
def goals(request):
    return selectors.goals()


@router.get("/terms", response=list[TermOut])
@paginate(PageNumberPagination, page_size=100)
def terms(request, vocabulary: str | None = None):
    return selectors.terms(vocabulary, active_only=True)
