"""The assistant's interaction models (Alexa JSON, one file per locale), shipped as package data.

Located through importlib.resources so a wheel install finds them inside the package, exactly as
a checkout finds them next to this file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_LOCALE = "en-US"


def model_path(locale: str = DEFAULT_LOCALE) -> Path:
    """The shipped model for `locale` (the path may not exist for an unknown locale)."""
    # The package is a plain directory on disk (never a zip), so the resource is a real path.
    return Path(str(resources.files(__name__).joinpath(f"{locale}.json")))
