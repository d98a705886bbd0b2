"""Every write to indicators: one function per business action, atomic and audited, by concern.

- `definitions`: an indicator's definition, created and changed;
- `observations`: a figure entered by hand (its revision when it replaces one), baselines and
  targets;
- `checks`: an import's rows checked, once per run, into the plan of what it would change;
- `pipeline`: an import committed in batches, all or nothing, in the request or by the worker,
  and found stalled when its worker died (its raw SQL is in `indicators.bulk`);
- `imports`: the import wizard (upload, map, preview, commit, discard, undo);
- `recount`: computed indicators recounted from the platform's own records.

See docs/imports.md for the import's states and where its rows are checked.
"""

from safecities.core.errors import DomainError, InvalidInput

from ..bulk import ImportConflict
from ..rows import ImportRejected, Row, RowError, rows_from_csv, rows_from_jsonstat
from ..selectors.files import UnreadableFile, import_datasets, import_rows
from ..selectors.imports import runs_in_background
from .checks import PROGRESS_EVERY, ImportPlan, RowChange, preview_import
from .definitions import (
    INDICATOR_FIELDS,
    RESERVED_CODES,
    ComputedIndicator,
    DuplicateCode,
    IndicatorDefinition,
    PeriodTypeLocked,
    create_indicator,
    update_indicator,
)
from .imports import (
    ImportAlreadyUndone,
    ImportNotCommitted,
    ImportNotDraft,
    UndoConflict,
    commit_stored_import,
    discard_import,
    map_import,
    preview_stored_import,
    undo_import,
    upload_import,
)
from .observations import MAX_NOTE_LENGTH, record_observation, set_baseline, set_target
from .pipeline import (
    WRITE_BATCH,
    ImportGivenUp,
    NotAllowedToRun,
    commit_import,
    fail_if_stalled,
    run_import,
)
from .recount import COMPUTED_NOTE, refresh_computed

__all__ = [
    "COMPUTED_NOTE",
    "INDICATOR_FIELDS",
    "MAX_NOTE_LENGTH",
    "PROGRESS_EVERY",
    "RESERVED_CODES",
    "WRITE_BATCH",
    "ComputedIndicator",
    "DomainError",
    "DuplicateCode",
    "ImportAlreadyUndone",
    "ImportConflict",
    "ImportGivenUp",
    "ImportNotCommitted",
    "ImportNotDraft",
    "ImportPlan",
    "ImportRejected",
    "IndicatorDefinition",
    "InvalidInput",
    "NotAllowedToRun",
    "PeriodTypeLocked",
    "Row",
    "RowChange",
    "RowError",
    "UndoConflict",
    "UnreadableFile",
    "commit_import",
    "commit_stored_import",
    "create_indicator",
    "discard_import",
    "fail_if_stalled",
    "import_datasets",
    "import_rows",
    "map_import",
    "preview_import",
    "preview_stored_import",
    "record_observation",
    "refresh_computed",
    "rows_from_csv",
    "rows_from_jsonstat",
    "run_import",
    "runs_in_background",
    "set_baseline",
    "set_target",
    "undo_import",
    "update_indicator",
    "upload_import",
]
