"""Who may change the charter and the shared vocabularies: the secretariat."""

from safecities.core.permissions import rule
from safecities.network.permissions import is_secretariat


@rule("charter.edit_vocabulary")
def edit_vocabulary(user, obj=None) -> bool:
    return is_secretariat(user)
