"""Evidence Kit: capture online abuse as tamper-evident evidence."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evidence-kit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "Evidence Kit"
