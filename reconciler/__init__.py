"""zexa-campaigns: campaign-as-code for the Zexa messaging platform."""

# The one place the version is written: pyproject.toml reads it from here, and the CHANGELOG
# names it. A constant, not importlib.metadata, so that `campaigns --version` starts fast.
__version__ = "0.2.0"
