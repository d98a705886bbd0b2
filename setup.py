"""Everything about the package is in pyproject.toml; this file only adds one step to the build.

A wheel (or `pip install .`) carries the front-end files that `npm ci && npm run build` puts
in `src/safecities/static/vendor`. Built without them, every page of the installed platform
would fail, so the build refuses and says what to run first. Editable installs
(`pip install -e .`) read the files from the checkout and need them only at run time.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

VENDOR = Path(__file__).resolve().parent / "src" / "safecities" / "static" / "vendor"
# The files scripts/build-assets.mjs writes; safecities.core.checks.VENDOR_FILES lists them too.
VENDOR_FILES = ("designsystemet.css", "designsystemet-theme.css", "htmx.min.js")


class BuildPyWithVendorFiles(build_py):
    def run(self):
        if not self.editable_mode:
            missing = [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]
            if missing:
                raise SetupError(
                    "The front-end files are not built (missing: "
                    + ", ".join(f"src/safecities/static/vendor/{name}" for name in missing)
                    + "). Run `npm ci && npm run build` in the checkout first, then build or "
                    "install the package (see docs/deploy.md)."
                )
        super().run()


setup(cmdclass={"build_py": BuildPyWithVendorFiles})
