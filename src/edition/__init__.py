"""An annotated, data-backed edition of "The Close Relations between Putin and Zionism"."""

__version__ = "0.1.0"
