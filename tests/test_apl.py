"""The Echo Show screen: the APL document, its datasource, and what a device would show.

apl-suggester's validator checks the document's schema; the tests after it check what that
validator misses (unknown component types, bindings the datasource leaves undefined, viewport
branches nobody reaches) and what a couple would see: the countdown running out exactly when
Alexa speaks again, the breathing at the script's pace, every button doing what it says.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.apl import screen as apl
from skill.apl.screen import Breathing, Button, Screen
from skill.speech.timing import Pause, estimated_seconds
from tests.apl.expr import BINDING, evaluate, resolve, truthy
from tests.apl.render import CHILD_KEYS, VIEWPORTS, Device, resources_for

ROOT = Path(__file__).resolve().parents[1]
APL_DIR = ROOT / "skill" / "apl"
DOCUMENTS = sorted(APL_DIR.glob("*.json"))
VALIDATE = ROOT / "tests" / "apl" / "validate.js"

# The primitive components of APL 2023.3 (the APL component reference).
APL_COMPONENTS = {
    "Container",
    "EditText",
    "Frame",
    "GridSequence",
    "Image",
    "Pager",
    "ScrollView",
    "Sequence",
    "Text",
    "TouchWrapper",
    "VectorGraphic",
    "Video",
}
# The standard commands of APL 2023.3.
APL_COMMANDS = {
    "AnimateItem",
    "AnimateItemTransform",
    "AutoPage",
    "ClearFocus",
    "ControlMedia",
    "Finish",
    "Idle",
    "InsertItem",
    "OpenURL",
    "Parallel",
    "PlayMedia",
    "Reinflate",
    "RemoveItem",
    "Scroll",
    "ScrollToComponent",
    "ScrollToIndex",
    "Select",
    "SendEvent",
    "Sequential",
    "SetFocus",
    "SetPage",
    "SetState",
    "SetValue",
    "SpeakItem",
    "SpeakList",
}
COMMAND_KEYS = ("onPress", "onMount", "onDown", "onUp", "onMove", "onCancel", "onFocus", "onBlur")

EVERY_BUTTON = tuple(Button)
TURN_PARTS = (
    "Now a gratitude round. Sam, you first: tell Alex one thing you appreciated about them "
    "this week. Take your time.",
    Pause(45),
    "Ready for Alex's turn?",
)
_start, _length = apl.silences(TURN_PARTS)[-1]
TURN = Screen(
    title="Gratitude",
    place="2 of 4",
    speaker="Sam",
    text="Tell Alex one thing you appreciated about them this week.",
    countdown_start_ms=_start,
    countdown_ms=_length,
    buttons=EVERY_BUTTON,
)
MINDFUL = Screen(
    title="Mindful pause",
    place="1 of 4",
    text="Sit close and comfortable. Breathe in through your nose, and out, slowly.",
    countdown_start_ms=3_000,
    countdown_ms=60_000,
    breathing=Breathing(4, 6),
    buttons=(Button.NEXT, Button.PAUSE, Button.REPEAT),
)
CLOSING = Screen(
    title="Closing",
    place="4 of 4",
    text="Thank you both. A twenty-second hug, if you like.",
    countdown_start_ms=4_000,
    countdown_ms=20_000,
    history="Your third check-in this month.",
)
HELP = Screen(
    title="Help",
    text=(
        "We're in the gratitude round, and it's Alex's turn. Say next when Alex is done, "
        "skip to move on, or stop to finish for tonight."
    ),
    buttons=(Button.NEXT, Button.SKIP, Button.REPEAT),
)
SUPPORT = Screen(
    title="Support",
    text=(
        "I'm sorry things are hard. I can't give advice, but a couples counsellor can really "
        "help, and your doctor can point you to one. If anyone is in danger, please call your "
        "local emergency number now."
    ),
)
SCREENS = {"turn": TURN, "mindful": MINDFUL, "closing": CLOSING, "help": HELP, "support": SUPPORT}


def components(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every component definition in a subtree (a dict with a type, under a child key)."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from components(item, f"{path}/{index}")
        return
    if not isinstance(node, dict):
        return
    if "type" in node:
        yield path, node
    for key in CHILD_KEYS:
        if key in node:
            yield from components(node[key], f"{path}/{key}")


def all_components(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from components(document["mainTemplate"]["items"], "/mainTemplate/items")
    for name, layout in document.get("layouts", {}).items():
        yield from components(layout.get("items", layout.get("item", [])), f"/layouts/{name}")


def commands(node: Any) -> Iterator[dict[str, Any]]:
    """Every command in a component's handlers, nested ones included."""
    if isinstance(node, list):
        for item in node:
            yield from commands(item)
    elif isinstance(node, dict) and "type" in node:
        yield node
        yield from commands(node.get("commands", []))


def unknown_types(document: dict[str, Any]) -> set[str]:
    known = APL_COMPONENTS | set(document.get("layouts", {}))
    return {c["type"] for _, c in all_components(document) if c["type"] not in known}


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def run_validator(*paths: Path) -> dict[str, list[dict[str, Any]]]:
    result = subprocess.run(
        ["node", str(VALIDATE), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return apl.document()


# --- apl-suggester ----------------------------------------------------------------------


def test_the_documents_pass_apl_suggesters_validator() -> None:
    assert DOCUMENTS, "no APL document in skill/apl"
    found = run_validator(*DOCUMENTS)
    assert set(found) == {str(p) for p in DOCUMENTS}
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_the_validator_does_report_a_broken_document(tmp_path: Path, document) -> None:
    """So a pass above means something: a misspelt property is reported."""
    broken = json.loads(json.dumps(document))
    broken["mainTemplate"]["items"][0]["item"]["items"][1]["fontSizee"] = "20dp"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    problems = run_validator(path)[str(path)]
    assert any("fontSizee" in p["errorMessage"] for p in problems), problems


# --- what that validator misses ---------------------------------------------------------


def test_the_document_targets_apl_2023_3_and_fetches_nothing(document) -> None:
    assert document["type"] == "APL" and document["version"] == "2023.3"
    assert document.get("import", []) == []
    text = json.dumps(document)
    assert "alexa-layouts" not in text and "alexa-styles" not in text
    assert not re.search(r"https?://", text), "nothing may be fetched at run time"


def test_every_component_is_a_known_apl_component(document) -> None:
    used = {c["type"] for _, c in all_components(document)}
    assert {"Container", "Text", "TouchWrapper", "VectorGraphic", "Frame"} <= used
    assert unknown_types(document) == set()


def test_an_unknown_component_type_is_caught(document) -> None:
    broken = json.loads(json.dumps(document))
    broken["mainTemplate"]["items"][0]["item"]["items"][1]["type"] = "Txet"
    assert unknown_types(broken) == {"Txet"}


def test_every_command_graphic_style_and_resource_is_defined(document) -> None:
    for path, component in all_components(document):
        for key in COMMAND_KEYS:
            for command in commands(component.get(key, [])):
                assert command["type"] in APL_COMMANDS, (path, command)
        if component["type"] == "VectorGraphic":
            graphic = document["graphics"][component["source"]]
            declared = {p["name"] for p in graphic.get("parameters", [])}
            assert set(component.get("parameters", {})) <= declared, path
        if "style" in component:
            assert component["style"] in document["styles"], path
    # Every @resource must exist in the unconditional block, so every viewport has it.
    baseline = resources_for(document, {"shape": "none", "mode": "none", "pixelWidth": 0})
    referenced = {s[1:] for s in strings(document) if re.fullmatch(r"@\w+", s)}
    assert referenced - set(baseline) == set()


def payload_paths(document: dict[str, Any]) -> set[str]:
    """Every payload.checkin.<key> the document binds."""
    found = set()
    for text in strings(document):
        for expression in (m.group(1) for m in BINDING.finditer(text)):
            found.update(re.findall(rf"payload\.{apl.DATASOURCE}\.(\w+)", expression))
            assert not re.search(rf"payload\.(?!{apl.DATASOURCE}\.)", expression), expression
    return found


def test_every_binding_to_the_datasource_is_a_key_the_builder_emits(document) -> None:
    bound = payload_paths(document)
    assert {"heading", "speaker", "text", "countdownMs", "buttons", "history"} <= bound
    for name, screen in SCREENS.items():
        emitted = apl.datasource(screen)[apl.DATASOURCE]
        assert bound - set(emitted) == set(), name


def test_the_button_template_binds_only_what_each_button_carries(document) -> None:
    (template,) = [c for _, c in all_components(document) if "data" in c]
    bound = {
        attribute
        for text in strings(template["items"])
        for expression in (m.group(1) for m in BINDING.finditer(text))
        for attribute in re.findall(r"\bdata\.(\w+)", expression)
    }
    assert bound == {"id", "label"}
    for button in apl.datasource(TURN)[apl.DATASOURCE]["buttons"]:
        assert set(button) >= bound


@pytest.mark.parametrize("name", sorted(SCREENS))
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_screen_inflates_on_every_viewport_with_nothing_undefined(
    document, name: str, viewport: str
) -> None:
    """The stand-in device raises on any binding or resource left undefined."""
    screen = SCREENS[name]
    for elapsed in (0, 5_000, 30_000, 120_000):
        device = Device(document, VIEWPORTS[viewport], apl.datasource(screen), elapsed)
        texts = {c.id: c.props["text"] for c in device.all() if c.type == "Text" and c.id}
        assert texts["heading"] == screen.heading
        assert texts["body"] == screen.text
        assert texts.get("speaker") == screen.speaker
        assert texts.get("history") == screen.history


def viewport_conditions(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Every `when` in the document that looks at the viewport, with where it is."""
    found = [
        (f"/resources/{i}", block["when"])
        for i, block in enumerate(document.get("resources", []))
        if "viewport" in block.get("when", "")
    ]
    found += [
        (path, c["when"]) for path, c in all_components(document) if "viewport" in c.get("when", "")
    ]
    return found


def test_every_viewport_branch_is_taken_by_some_device_and_not_by_all(document) -> None:
    conditions = viewport_conditions(document)
    assert len(conditions) >= 5
    other = {"counting": True}  # the component conditions also ask whether a countdown runs
    for where, condition in conditions:
        taken = {
            name
            for name, viewport in VIEWPORTS.items()
            if truthy(resolve(condition, {"viewport": viewport, **other}))
        }
        assert taken, f"{where}: no device takes {condition}"
        assert taken != set(VIEWPORTS), f"{where}: every device takes {condition}"


def test_each_kind_of_screen_gets_its_own_sizes(document) -> None:
    sizes = {name: resources_for(document, v) for name, v in VIEWPORTS.items()}
    round_, small, medium, large, tv = (
        sizes["Echo Spot (small round)"],
        sizes["Echo Show 5 (medium)"],
        sizes["Echo Show 8 (medium)"],
        sizes["Echo Show 15 (large)"],
        sizes["Fire TV (tv)"],
    )

    def dp(value: str) -> float:
        return float(value.removesuffix("dp"))

    assert dp(round_["fontName"]) < dp(small["fontName"]) < dp(medium["fontName"])
    assert dp(medium["fontName"]) < dp(large["fontName"])
    assert round_["stageDirection"] == "column" and small["stageDirection"] == "row"
    # A TV is 1920 pixels wide like a Show 15, but at 320 dpi: 960 dp seen from the sofa.
    assert dp(tv["fontBody"]) < dp(large["fontBody"]) and tv != small
    # five kinds: round, the short hubs (Show 5, 2nd gen), Show 8, Show 15, TV
    assert len({json.dumps(s, sort_keys=True) for s in sizes.values()}) == 5


def _dp(value: Any, viewport: dict[str, Any]) -> float:
    if isinstance(value, int | float):
        return float(value)
    if value.endswith("vw"):
        return float(value[:-2]) * viewport["width"] / 100
    return float(value.removesuffix("dp"))


@pytest.mark.parametrize("name", ["turn", "help", "support"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_screen_fits(document, viewport: str, name: str) -> None:
    """An estimate (no renderer runs offline): a turn (a name, a ring, a prompt, five
    buttons), a help answer and the longer support answer, at about 0.55 em a character,
    stay inside the viewport, and inside the circle's inscribed square on a round screen,
    with no line of the words cut off."""
    screen = SCREENS[name]
    v = VIEWPORTS[viewport]
    r = {
        k: _dp(x, v) if isinstance(x, str) and x[-2:] in ("dp", "vw") else x
        for k, x in resources_for(document, v).items()
    }
    width, height = float(v["width"]), float(v["height"])
    if v["shape"] == "round":
        width = height = width / 2**0.5
    inner = width - 2 * r["paddingX"] if v["shape"] != "round" else width
    row_direction = r["stageDirection"] == "row"
    ring = row_direction and screen.countdown_ms > 0
    text_width = inner - (r["ringSize"] + r["stageGap"] if ring else 0)
    per_line = int(text_width / (0.55 * r["fontBody"]))
    lines = -(-len(screen.text) // per_line)
    assert lines <= r["bodyMaxLines"], f"{viewport}: the prompt is cut at {r['bodyMaxLines']} lines"
    body = lines * 1.25 * r["fontBody"]
    stage = max(r["ringSize"] if ring else 0, body)
    if not row_direction and screen.countdown_ms:
        stage += 1.25 * r["fontCount"]
    widths = [
        max(r["buttonMinWidth"], 0.55 * r["fontButton"] * len(b.label) + 36) for b in screen.buttons
    ]
    rows, line = (1 if widths else 0), 0.0
    for w in widths:
        if line and line + r["buttonGap"] + w > inner:
            rows, line = rows + 1, w
        else:
            line += (r["buttonGap"] if line else 0) + w
    assert max(widths, default=0) <= inner
    total = (
        (2 * r["paddingY"] if v["shape"] != "round" else 0)
        + 1.25 * r["fontHeading"]
        + (1.25 * r["fontName"] if screen.speaker else 0)
        + 24
        + stage
        + rows * r["buttonHeight"]
    )
    print(f"{viewport}: about {total:.0f} dp of {height:.0f}, {lines} lines, {rows} button rows")
    assert total <= height, f"{viewport}: about {total:.0f} dp of content in {height:.0f} dp"


# --- what the couple sees ---------------------------------------------------------------


def _device(screen: Screen, viewport: str, elapsed_ms: float, document) -> Device:
    return Device(document, VIEWPORTS[viewport], apl.datasource(screen), elapsed_ms)


def test_the_countdown_lasts_exactly_the_silence_that_follows(document) -> None:
    start, length = apl.silences(TURN_PARTS)[-1]
    assert length == 45_000
    assert apl.datasource(TURN)[apl.DATASOURCE]["countdownMs"] == 45_000
    # It ends when the speech after the silence begins.
    spoken_after = estimated_seconds(TURN_PARTS[2:]) * 1000
    assert start + length == pytest.approx(estimated_seconds(TURN_PARTS) * 1000 - spoken_after)

    def shown(elapsed: float, viewport: str = "Echo Show 8 (medium)") -> tuple[Any, Any]:
        device = _device(TURN, viewport, elapsed, document)
        ring = device.find("countdownRing") or device.find("countdownRingEdge")
        seconds = device.find("countdownSeconds") or device.find("countdownSecondsRound")
        assert ring and seconds
        return seconds.props["text"], ring.props["parameters"]["remaining"]

    for viewport in VIEWPORTS:
        assert shown(0, viewport) == (45, 1)  # full while Sam's prompt is still being read
        assert shown(start, viewport) == (45, 1)
        assert shown(start + 44_001, viewport)[0] == 1
        assert shown(start + 45_000, viewport) == (0, 0)  # empty as Alexa speaks again
        assert shown(start + 90_000, viewport) == (0, 0)
    assert shown(start + 22_500)[1] == pytest.approx(0.5)


def test_no_countdown_without_a_silence(document) -> None:
    for viewport in VIEWPORTS:
        ids = _device(HELP, viewport, 1_000, document).ids()
        assert not ids & {"countdown", "countdownRingEdge", "countdownSecondsRound", "breath"}


def test_the_ring_hugs_the_edge_on_round_screens_and_sits_beside_the_words_elsewhere(
    document,
) -> None:
    for viewport, v in VIEWPORTS.items():
        ids = _device(TURN, viewport, 0, document).ids()
        if v["shape"] == "round":
            assert {"countdownRingEdge", "countdownSecondsRound"} <= ids
            assert "countdown" not in ids
        else:
            assert {"countdown", "countdownRing", "countdownSeconds"} <= ids
            assert "countdownRingEdge" not in ids


def test_the_breathing_follows_the_scripts_pace(document) -> None:
    start = MINDFUL.countdown_start_ms

    def breath(elapsed: float) -> tuple[float, str]:
        device = _device(MINDFUL, "Echo Show 15 (large)", elapsed, document)
        circle, cue = device.find("breathCircle"), device.find("breathCue")
        assert circle and cue
        return circle.props["transform"][0]["scale"], cue.props["text"]

    assert breath(0) == (0.5, "")  # at rest while Alexa is still speaking
    assert breath(start + 1) == (pytest.approx(0.5, abs=0.001), "Breathe in")
    assert breath(start + 2_000) == (pytest.approx(0.75), "Breathe in")
    assert breath(start + 4_000 - 1)[0] == pytest.approx(1, abs=0.001)
    assert breath(start + 4_001)[1] == "Breathe out"
    assert breath(start + 7_000)[0] == pytest.approx(0.75)
    assert breath(start + 10_000) == (pytest.approx(0.5), "Breathe in")  # the next breath
    ids = _device(MINDFUL, "Echo Show 15 (large)", 0, document).ids()
    assert "breath" in ids and "countdown" not in ids  # the breath replaces the ring


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_button_sends_the_event_the_adapter_reads_back(document, viewport: str) -> None:
    device = _device(TURN, viewport, 0, document)
    wrappers = [c for c in device.all() if c.type == "TouchWrapper"]
    assert [w.id for w in wrappers] == [f"button-{b.value}" for b in EVERY_BUTTON]
    for wrapper, button in zip(wrappers, EVERY_BUTTON, strict=True):
        (event,) = wrapper.props["onPress"]
        assert event["type"] == "SendEvent"
        assert apl.button_event(event["arguments"]) is button
        labels = [c.props["text"] for c in _descendants(wrapper) if c.type == "Text"]
        assert labels == [button.label]


def _descendants(node) -> Iterator[Any]:
    for child in node.children:
        yield child
        yield from _descendants(child)


def test_only_the_buttons_the_datasource_names_are_shown(document) -> None:
    closing = [c for c in _device(CLOSING, "Echo Show 5 (medium)", 0, document).all()]
    assert not [c for c in closing if c.type == "TouchWrapper"]
    help_ = _device(HELP, "Echo Show 5 (medium)", 0, document)
    assert [c.id for c in help_.all() if c.type == "TouchWrapper"] == [
        "button-next",
        "button-skip",
        "button-repeat",
    ]


def test_the_closing_shows_the_couples_history(document) -> None:
    device = _device(CLOSING, "Echo Spot (small round)", 0, document)
    history = device.find("history")
    assert history and history.props["text"] == "Your third check-in this month."
    turn = _device(TURN, "Echo Spot (small round)", 0, document)
    assert turn.find("history") is None  # no history line outside the closing


def test_no_names_or_words_live_in_the_document(document) -> None:
    """Everything a couple reads comes from the datasource; so nothing of theirs is cached in
    the document, even after rendering their screens."""
    before = json.dumps(document, sort_keys=True)
    for screen in SCREENS.values():
        apl.render_directive(screen, "checkin")
    named = Screen(title="Questions", speaker="Zephyrine", text="What made you laugh today?")
    directive = apl.render_directive(named, "checkin")
    after = json.dumps(apl.document(), sort_keys=True)
    assert before == after
    assert "Zephyrine" not in after and "laugh" not in after
    assert "Zephyrine" in json.dumps(directive["datasources"])
    for _, component in all_components(document):
        if component["type"] == "Text":
            assert BINDING.fullmatch(component["text"]), component["text"]
    for name in ("Sam", "Alex"):
        assert not re.search(rf"\b{name}\b", after)


# --- the builder ------------------------------------------------------------------------


def test_the_directive_is_a_render_document_with_the_cached_document() -> None:
    directive = apl.render_directive(TURN, "checkin-turn")
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    assert directive["token"] == "checkin-turn"
    assert directive["document"] is apl.document()  # built once per process
    assert directive["datasources"] == apl.datasource(TURN)
    json.dumps(directive)  # plain JSON, nothing else


def test_the_directive_leaves_room_in_a_response() -> None:
    """A response may be at most 24 KB with up to 8,000 characters of speech: the screen
    takes at most half of it. Only the file's "description" notes are left out."""
    for screen in SCREENS.values():
        directive = apl.render_directive(screen, "checkin")
        assert len(json.dumps(directive, separators=(",", ":")).encode()) < 12_000
    on_disk = json.loads((APL_DIR / apl.DOCUMENT_FILE).read_text())
    text = json.dumps(on_disk)
    assert text.count('"description"') > 0
    assert apl.document() == apl._without_descriptions(on_disk)
    assert '"description"' not in json.dumps(apl.document())


def test_the_datasource_carries_the_screen() -> None:
    data = apl.datasource(TURN)[apl.DATASOURCE]
    assert data["heading"] == "Gratitude · 2 of 4"
    assert data["speaker"] == "Sam"
    assert data["buttons"][0] == {"id": "next", "label": "Next"}
    assert [b["id"] for b in data["buttons"]] == ["next", "skip", "switch", "pause", "repeat"]
    assert data["breathing"] is False and data["breatheInMs"] == 0
    mindful = apl.datasource(MINDFUL)[apl.DATASOURCE]
    assert (mindful["breathing"], mindful["breatheInMs"], mindful["breatheOutMs"]) == (
        True,
        4000,
        6000,
    )
    assert apl.datasource(HELP)[apl.DATASOURCE]["heading"] == "Help"


def test_silences_merge_adjacent_pauses_and_time_the_speech_before_them() -> None:
    hug = ("Thank you both. A twenty-second hug, if you like. I'll count.", Pause(10), Pause(10))
    (window,) = apl.silences(hug)
    assert window == (round(estimated_seconds(hug[:1]) * 1000), 20_000)
    breathing = ("Breathe in.", Pause(4), "And out, slowly.", Pause(6), "Welcome back.")
    assert [length for _, length in apl.silences(breathing)] == [4_000, 6_000]
    assert apl.silences(("No silence here.",)) == []


def test_a_screen_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        Screen(title="Gratitude", countdown_ms=-1)
    with pytest.raises(ValueError):
        Screen(title="Gratitude", buttons=(Button.NEXT, Button.NEXT))
    with pytest.raises(ValueError):
        Breathing(0, 6)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["button", "next"], Button.NEXT),
        (["button", "skip"], Button.SKIP),
        (["button", "switch"], Button.SWITCH),
        (["button", "pause"], Button.PAUSE),
        (["button", "repeat"], Button.REPEAT),
        (["button", "dance"], None),
        (["button", "Next"], None),
        (["slider", "next"], None),
        (["button"], None),
        ([], None),
        (None, None),
        ("button next", None),
        (["button", 3], None),
    ],
)
def test_button_event_reads_only_our_buttons(arguments: Any, expected: Button | None) -> None:
    assert apl.button_event(arguments) is expected


def _envelope(interfaces: dict[str, Any] | None) -> dict[str, Any]:
    device: dict[str, Any] = {"deviceId": "amzn1.ask.device.TEST"}
    if interfaces is not None:
        device["supportedInterfaces"] = interfaces
    return {
        "version": "1.0",
        "session": {"new": True, "sessionId": "s", "application": {"applicationId": "a"}},
        "context": {"System": {"application": {"applicationId": "a"}, "device": device}},
        "request": {
            "type": "LaunchRequest",
            "requestId": "r",
            "timestamp": "2026-12-01T20:00:00Z",
            "locale": "en-US",
        },
    }


def test_supports_apl_only_when_the_device_says_so() -> None:
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    screen = _envelope({"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}})
    speaker = _envelope({})
    audio_only = _envelope({"AudioPlayer": {}})
    bare = _envelope(None)
    assert apl.supports_apl(screen)
    for envelope in (speaker, audio_only, bare, {}, {"context": {}}):
        assert not apl.supports_apl(envelope)
    serializer = DefaultSerializer()
    for raw, expected in ((screen, True), (speaker, False), (audio_only, False), (bare, False)):
        model = serializer.deserialize(json.dumps(raw), RequestEnvelope)
        assert apl.supports_apl(model) is expected

        class HandlerInputLike:
            request_envelope = model

        assert apl.supports_apl(HandlerInputLike()) is expected


def test_the_console_view_lists_step_name_words_countdown_and_buttons() -> None:
    view = apl.text_view(TURN)
    assert view.splitlines() == [
        "Gratitude · 2 of 4",
        "Sam",
        "Tell Alex one thing you appreciated about them this week.",
        "(countdown: 45 s)",
        "[Next] [Skip] [Switch] [Pause] [Repeat]",
    ]
    assert "(breathing: in 4 s, out 6 s)" in apl.text_view(MINDFUL)
    assert "countdown" not in apl.text_view(MINDFUL)
    closing = apl.text_view(CLOSING).splitlines()
    assert closing[-1] == "Your third check-in this month." and "[" not in apl.text_view(CLOSING)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("[Next]", Button.NEXT),
        ("[ skip ]", Button.SKIP),
        ("[SWITCH]", Button.SWITCH),
        ("next", None),
        ("[Dance]", None),
        ("[Next", None),
    ],
)
def test_the_console_reads_a_typed_touch(typed: str, expected: Button | None) -> None:
    assert apl.typed_button(typed) is expected


def test_the_expression_evaluator_refuses_what_it_does_not_know() -> None:
    """The stand-in device must fail loudly, or the binding tests above would prove little."""
    with pytest.raises(LookupError):
        evaluate("payload.checkin.nope", {"payload": {"checkin": {}}})
    with pytest.raises(LookupError):
        evaluate("nobody + 1", {})
    assert evaluate("1 + 2 * 3 > 6 && !false ? 'yes' : 'no'", {}) == "yes"
