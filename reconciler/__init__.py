"""zexa-campaigns: campaign-as-code for the Zexa messaging platform."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zexa-campaigns")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
