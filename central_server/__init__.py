"""The programme office's central server: the laptops' sync target and the office's system of record."""

from consultant_app import __version__

SERVER_NAME = "consultant-central"

__all__ = ["SERVER_NAME", "__version__"]
