"""What our APL document inflates into, for a datasource, a viewport and a moment: a test's
stand-in for a device (there is no offline APL renderer; apl-viewhost-web cannot install here).

It follows APL's rules for the parts our document uses: resource blocks apply in order when
their `when` holds (a later block overrides), a single-child slot (mainTemplate, Frame.item,
TouchWrapper.item) takes the first child whose `when` holds, a Container inflates every child
whose `when` holds, a Container with `data` inflates its template once per element with `data`
and `index` bound, and `bind` extends the context in order. Property values are resolved:
${...} bindings evaluated (tests/apl/expr.py), then @resource references looked up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.apl.expr import resolve, truthy

CHILD_KEYS = ("item", "items", "firstItem", "lastItem")
SINGLE_CHILD = {"Frame", "TouchWrapper", "ScrollView"}
RESOURCE_KINDS = ("colors", "dimensions", "numbers", "strings", "booleans", "easing", "gradients")

# The devices the issue names, as APL reports their viewports (dp = pixels * 160 / dpi).
VIEWPORTS: dict[str, dict[str, Any]] = {
    "Echo Spot (small round)": {
        "shape": "round",
        "mode": "hub",
        "pixelWidth": 480,
        "pixelHeight": 480,
        "dpi": 160,
    },
    "Echo Show 5 (medium)": {
        "shape": "rectangle",
        "mode": "hub",
        "pixelWidth": 960,
        "pixelHeight": 480,
        "dpi": 160,
    },
    "Echo Show 2nd gen (medium)": {
        "shape": "rectangle",
        "mode": "hub",
        "pixelWidth": 1024,
        "pixelHeight": 600,
        "dpi": 160,
    },
    "Echo Show 8 (medium)": {
        "shape": "rectangle",
        "mode": "hub",
        "pixelWidth": 1280,
        "pixelHeight": 800,
        "dpi": 160,
    },
    "Echo Show 15 (large)": {
        "shape": "rectangle",
        "mode": "hub",
        "pixelWidth": 1920,
        "pixelHeight": 1080,
        "dpi": 160,
    },
    "Fire TV (tv)": {
        "shape": "rectangle",
        "mode": "tv",
        "pixelWidth": 1920,
        "pixelHeight": 1080,
        "dpi": 320,
    },
}
for _viewport in VIEWPORTS.values():
    _viewport["width"] = _viewport["pixelWidth"] * 160 // _viewport["dpi"]
    _viewport["height"] = _viewport["pixelHeight"] * 160 // _viewport["dpi"]
    _viewport["theme"] = "dark"


@dataclass
class Shown:
    """One inflated component: its type, resolved properties and where it sits."""

    type: str
    props: dict[str, Any]
    path: str
    children: list[Shown] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        return self.props.get("id")


def resources_for(document: Mapping[str, Any], viewport: Mapping[str, Any]) -> dict[str, Any]:
    """The document's resources as a device with this viewport sees them."""
    merged: dict[str, Any] = {}
    context = {"viewport": viewport}
    for block in document.get("resources", []):
        if "when" in block and not truthy(resolve(block["when"], context)):
            continue
        for kind in RESOURCE_KINDS:
            merged.update(block.get(kind, {}))
    return merged


def _value(value: Any, context: Mapping[str, Any], resources: Mapping[str, Any]) -> Any:
    if isinstance(value, list):
        return [_value(v, context, resources) for v in value]
    if isinstance(value, dict):
        return {k: _value(v, context, resources) for k, v in value.items()}
    value = resolve(value, context)
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in resources:
            raise LookupError(f"resource {value} is not defined for this viewport")
        return resources[value[1:]]
    return value


class Device:
    """A viewport showing the document at one moment."""

    def __init__(
        self,
        document: Mapping[str, Any],
        viewport: Mapping[str, Any],
        datasources: Mapping[str, Any],
        elapsed_ms: float = 0,
    ) -> None:
        self.document = document
        self.resources = resources_for(document, viewport)
        self.context: dict[str, Any] = {
            "payload": datasources,
            "viewport": viewport,
            "elapsedTime": elapsed_ms,
            "environment": {"aplVersion": document["version"]},
        }
        template = document["mainTemplate"]
        self.root = self._first(template["items"], self.context, "/mainTemplate/items")

    def _first(self, items: Any, context: Mapping[str, Any], path: str) -> Shown | None:
        items = items if isinstance(items, list) else [items]
        for index, item in enumerate(items):
            shown = self._inflate(item, context, f"{path}/{index}")
            if shown is not None:
                return shown
        return None

    def _inflate(
        self, node: Mapping[str, Any], context: Mapping[str, Any], path: str
    ) -> Shown | None:
        if "when" in node and not truthy(resolve(node["when"], context)):
            return None
        local = dict(context)
        for binding in node.get("bind", []):
            local[binding["name"]] = _value(binding["value"], local, self.resources)
        props = {
            key: _value(value, local, self.resources)
            for key, value in node.items()
            if key not in (*CHILD_KEYS, "when", "bind", "data")
        }
        shown = Shown(node["type"], props, path)
        if node["type"] in SINGLE_CHILD:
            child = self._first(node.get("item", node.get("items", [])), local, f"{path}/item")
            shown.children = [child] if child else []
            return shown
        items = node.get("items", [])
        items = items if isinstance(items, list) else [items]
        if "data" in node:
            elements = _value(node["data"], local, self.resources)
            for index, element in enumerate(elements):
                each = {**local, "data": element, "index": index, "length": len(elements)}
                child = self._first(items, each, f"{path}/data/{index}")
                if child:
                    shown.children.append(child)
            return shown
        for index, item in enumerate(items):
            child = self._inflate(item, local, f"{path}/items/{index}")
            if child:
                shown.children.append(child)
        return shown

    def all(self) -> Iterator[Shown]:
        stack = [self.root] if self.root else []
        while stack:
            node = stack.pop(0)
            yield node
            stack[0:0] = node.children

    def find(self, component_id: str) -> Shown | None:
        return next((c for c in self.all() if c.id == component_id), None)

    def ids(self) -> set[str]:
        return {c.id for c in self.all() if c.id}
