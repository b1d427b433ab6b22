"""A small evaluator for the APL data-binding expressions our document uses, so tests can ask
what the screen shows at a given elapsedTime on a given viewport.

It covers the subset in skill/apl/*.json: numbers, 'strings', dotted names, Math.min/max/ceil/
floor, + - * / %, comparisons, && || !, ?: and parentheses. Anything else raises, and so does
a name the context does not define: an undefined binding is a test failure here, where APL
would quietly show nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

BINDING = re.compile(r"\$\{((?:[^{}'\"]|'[^']*'|\"[^\"]*\")*)\}")
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'[^']*'|\"[^\"]*\")|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>&&|\|\||==|!=|<=|>=|[-+*/%<>!?:(),.]))"
)
MATH: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "ceil": math.ceil,
    "floor": math.floor,
    "abs": abs,
    "round": round,
}
_BINARY = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}


class Undefined(LookupError):
    """A name or attribute the context does not define."""


def truthy(value: Any) -> bool:
    """APL's truth: false, null, 0 and "" are false."""
    return value not in (False, None, 0, "")


def _tokens(source: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    source = source.rstrip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match or match.end() == position:
            raise SyntaxError(f"cannot read {source[position:]!r} in {source!r}")
        kind = match.lastgroup
        assert kind is not None
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


class _Parser:
    def __init__(self, source: str, context: Mapping[str, Any]) -> None:
        self.tokens = _tokens(source)
        self.index = 0
        self.context = context
        self.source = source

    def peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise SyntaxError(f"unexpected end of {self.source!r}")
        token = self.tokens[self.index]
        if expected is not None and token[1] != expected:
            raise SyntaxError(f"expected {expected!r}, found {token[1]!r} in {self.source!r}")
        self.index += 1
        return token

    def expression(self) -> Any:
        condition = self.binary(0)
        if self.peek() == "?":
            self.take("?")
            yes = self.expression()
            self.take(":")
            no = self.expression()
            return yes if truthy(condition) else no
        return condition

    def binary(self, floor: int) -> Any:
        left = self.unary()
        while (op := self.peek()) in _BINARY and _BINARY[op] > floor:
            self.take()
            right = self.binary(_BINARY[op])
            left = _apply(op, left, right)
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.postfix()

    def postfix(self) -> Any:
        kind, text = self.take()
        if kind == "number":
            value: Any = float(text) if "." in text else int(text)
        elif kind == "string":
            value = text[1:-1]
        elif text == "(":
            value = self.expression()
            self.take(")")
        elif kind == "name" and text in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[text]
        elif kind == "name" and text == "Math":
            self.take(".")
            function = MATH[self.take()[1]]
            self.take("(")
            arguments = [self.expression()]
            while self.peek() == ",":
                self.take(",")
                arguments.append(self.expression())
            self.take(")")
            value = function(*arguments)
        elif kind == "name":
            if text not in self.context:
                raise Undefined(f"{text} is not defined ({self.source!r})")
            value = self.context[text]
        else:
            raise SyntaxError(f"unexpected {text!r} in {self.source!r}")
        while self.peek() == ".":
            self.take(".")
            attribute = self.take()[1]
            if not isinstance(value, Mapping) or attribute not in value:
                raise Undefined(f"no {attribute!r} in {value!r} ({self.source!r})")
            value = value[attribute]
        return value


def _apply(op: str, left: Any, right: Any) -> Any:
    if op == "&&":
        return right if truthy(left) else left
    if op == "||":
        return left if truthy(left) else right
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        return f"{left}{right}"
    operations: dict[str, Callable[[Any, Any], Any]] = {
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "%": lambda a, b: math.fmod(a, b),
    }
    return operations[op](left, right)


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """The value of one expression (the text inside ${...})."""
    parser = _Parser(expression, context)
    value = parser.expression()
    if parser.index != len(parser.tokens):
        raise SyntaxError(f"left over in {expression!r}: {parser.tokens[parser.index :]}")
    return value


def resolve(value: Any, context: Mapping[str, Any]) -> Any:
    """A property's value as APL computes it: a string that is one whole ${...} gives the
    expression's value; a string with bindings inside text gives the joined text."""
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = BINDING.fullmatch(value)
    if whole:
        return evaluate(whole.group(1), context)
    return BINDING.sub(lambda m: _text(evaluate(m.group(1), context)), value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def expressions(value: str) -> list[str]:
    """Every ${...} expression in a string."""
    return [m.group(1) for m in BINDING.finditer(value)]
