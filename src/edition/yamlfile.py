"""Reading contributor YAML files so that every problem can name its file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import _fastschema  # noqa: F401 - before jsonschema: skips a format checker our schemas never use

import jsonschema  # noqa: E402


# libyaml's parser where PyYAML was built with it (several times faster, same results); the pure-Python one otherwise.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """SafeLoader that keeps dates as the strings the contributor wrote, so they validate as ISO 8601 text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.field or '(file)'}: {self.message}"
        return f"{text}. Fix: {self.fix}" if self.fix else text


class ProblemsFound(ValueError):
    """Raised with every problem at once, so a contributor sees them all in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class YamlDoc:
    path: Path
    label: str  # the path as shown in messages (relative to the repository)
    data: Any
    node: yaml.Node | None

    def line(self, path: tuple = ()) -> int:
        """1-based line of the value at a JSON path, or of its nearest existing parent."""
        node = self.node
        for key in path:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return (node.start_mark.line + 1) if node is not None else 1

    def line_of_text(self, path: tuple, words: str) -> int:
        """1-based line inside the value at path where words (or their first four) begin; else the value's line."""
        start = self.line(path)
        node = self.node
        for key in path:
            node = _child(node, key) if node is not None else None
        end = node.end_mark.line + 1 if node is not None else start
        lines = self.path.read_text(encoding="utf-8").splitlines()[start - 1 : end]
        for needle in (words, " ".join(words.split()[:4])):
            for offset, text in enumerate(lines):
                if needle in text:
                    return start + offset
        return start


def _child(node: yaml.Node | None, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def read_yaml(path: Path, label: str | None = None) -> YamlDoc:
    """Parse a YAML file; a syntax error becomes a located Problem."""
    label = label or str(path)
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(err, "problem", None) or str(err)
        raise ProblemsFound(
            [Problem(label, line, "", f"YAML syntax error: {reason}", "check indentation and quoting on that line; quote text that contains ': ' or starts with a quotation mark")]
        ) from None
    return YamlDoc(path, label, data, node)


@lru_cache(maxsize=None)
def validator(schema_path: Path) -> jsonschema.protocols.Validator:
    import json

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_problems(doc: YamlDoc, schema_path: Path, fixes: dict[str, str]) -> list[Problem]:
    """Every JSON-schema violation of doc, located and explained."""
    problems = []
    errors = sorted(validator(schema_path).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        path = tuple(err.absolute_path)
        field = ".".join(str(p) for p in path)
        message, fix = _explain(err, fixes)
        if err.validator == "required":
            missing = err.message.split("'")[1]
            field = ".".join([*map(str, path), missing])
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            field = ".".join([*map(str, path), extra[0]]) if extra else field
            path = (*path, extra[0]) if extra else path
        problems.append(Problem(doc.label, doc.line(path), field, message, fix))
    return problems


def _explain(err: jsonschema.ValidationError, fixes: dict[str, str]) -> tuple[str, str]:
    if err.validator == "required":
        missing = err.message.split("'")[1]
        return f"required field '{missing}' is missing", fixes.get(missing, f"add '{missing}:'")
    if err.validator == "additionalProperties":
        allowed = ", ".join(err.schema.get("properties", {}))
        return err.message, f"remove or correct the misspelt field; allowed fields here: {allowed}"
    if err.validator == "enum":
        allowed = ", ".join(map(str, err.validator_value))
        return f"{err.instance!r} is not one of the allowed values", f"use one of: {allowed}"
    if err.validator == "pattern":
        key = str(err.absolute_path[-1]) if err.absolute_path else ""
        return f"{err.instance!r} does not have the expected form", fixes.get(key, f"match {err.validator_value}")
    return err.message, fixes.get(str(err.absolute_path[-1]) if err.absolute_path else "", "")
