"""A module imported on first use (the standard library's documented LazyLoader recipe).

The Sphinx extension reads no data on a build with nothing to do: pandas, which the data side needs,
is then never loaded (about a third of a second)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
