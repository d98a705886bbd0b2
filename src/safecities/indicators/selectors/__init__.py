"""Reads of indicators and observations that are more than a `.get()`, by concern:
observations and series (`observations`), change since baseline, rankings and comparisons
(`effect`), what the pages and dashboards show (`pages`), the import wizard (`imports`)."""

from .effect import (
    PROGRESS_LABELS,
    ChangeSinceBaseline,
    CitySeries,
    Comparison,
    RankedValue,
    Reading,
    change_since_baseline,
    changes_for,
    compare_cities,
    ranking,
)
from .files import UnreadableFile, import_datasets, import_rows
from .imports import (
    ImportProgress,
    import_detail,
    import_progress,
    imports_for,
    imports_waiting,
    runs_in_background,
)
from .observations import latest_by_city, observations, public_observations, series
from .pages import (
    INDICATOR_SORTS,
    CityIndicator,
    NetworkIndicator,
    city_dashboard,
    compare_between,
    indicator_by_code,
    indicator_periods,
    indicators_filtered,
    indicators_list,
    network_dashboard,
    replaced_since,
    reporting_cities,
)

__all__ = [
    "INDICATOR_SORTS",
    "PROGRESS_LABELS",
    "ChangeSinceBaseline",
    "CityIndicator",
    "CitySeries",
    "Comparison",
    "ImportProgress",
    "NetworkIndicator",
    "RankedValue",
    "Reading",
    "change_since_baseline",
    "changes_for",
    "city_dashboard",
    "compare_between",
    "compare_cities",
    "import_detail",
    "import_progress",
    "imports_for",
    "imports_waiting",
    "indicator_by_code",
    "indicator_periods",
    "indicators_filtered",
    "indicators_list",
    "latest_by_city",
    "network_dashboard",
    "observations",
    "public_observations",
    "ranking",
    "replaced_since",
    "reporting_cities",
    "runs_in_background",
    "UnreadableFile",
    "import_datasets",
    "import_rows",
    "series",
]
