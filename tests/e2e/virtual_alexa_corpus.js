// The everyday-speech corpus through virtual-alexa's own utterance matching, no server needed.
// Usage: node virtual_alexa_corpus.js <interaction model file> < phrasings.json
// Input: {"fillers": [...], "invocation": "our check in", "texts": ["what?", ...]}
// Output: one JSON line per text: {"text", "intent", "slots", "via"}, in input order.
//   intent: the request virtual-alexa sent ("LaunchRequest", an intent name), or null when it
//           matched nothing (virtual-alexa throws then; it never sends a FallbackIntent).
//   slots:  slot name -> the custom value id it resolved to, else the words heard.
//   via:    "utter" (alexa.utter), "launch" (alexa.launch), or "utterance" when the text holds
//           a word virtual-alexa's utter() takes for a launch ("ask us something else"): then
//           its own matcher (virtual-core Utterance, what utter() calls) picks the intent and
//           alexa.intend() sends it.
// The one step taken before virtual-alexa: hesitations ("um", "uh") are dropped, as a speech
// recogniser drops them; virtual-alexa starts from a transcript.
"use strict";

const { VirtualAlexa } = require("virtual-alexa");
const { Utterance } = require("virtual-core");

let lastRequest = null;

// The skill virtual-alexa talks to: it only remembers the request it got.
exports.echo = (event, context, callback) => {
  lastRequest = event;
  callback(null, {
    version: "1.0",
    response: { outputSpeech: { type: "PlainText", text: "ok" }, shouldEndSession: false },
  });
};

// utter() sends any text matching this to launch() (virtual-alexa 0.7, VirtualAlexa.js).
const LAUNCH_WORDS = /(ask|open|launch|talk to|tell).*/i;

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function summary(request) {
  if (!request) return { intent: null, slots: {} };
  const req = request.request;
  if (req.type !== "IntentRequest") return { intent: req.type, slots: {} };
  const slots = {};
  for (const [name, slot] of Object.entries(req.intent.slots || {})) {
    if (!slot || slot.value === undefined || slot.value === null || slot.value === "") continue;
    let value = slot.value;
    const authorities = (slot.resolutions && slot.resolutions.resolutionsPerAuthority) || [];
    for (const authority of authorities) {
      if (authority.status && authority.status.code === "ER_SUCCESS_MATCH" && authority.values) {
        value = authority.values[0].value.id;
        break;
      }
      if (authority.status && authority.status.code === "ER_SUCCESS_NO_MATCH") value = null;
    }
    slots[name] = value;
  }
  return { intent: req.intent.name, slots };
}

async function resolve(alexa, text) {
  lastRequest = null;
  if (LAUNCH_WORDS.test(text)) {
    const utterance = new Utterance(alexa.context().interactionModel(), text);
    if (!utterance.matched()) return { intent: null, slots: {}, via: "utterance" };
    await alexa.intend(utterance.intent(), utterance.toJSON());
    return { ...summary(lastRequest), via: "utterance" };
  }
  try {
    await alexa.utter(text);
  } catch (error) {
    if (/Unable to match utterance/.test(String(error && error.message))) {
      return { intent: null, slots: {}, via: "utter" };
    }
    throw error;
  }
  return { ...summary(lastRequest), via: "utter" };
}

async function main() {
  const [model] = process.argv.slice(2);
  const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const fillers = new Set(input.fillers);
  const inv = escape(input.invocation);
  const launchOnly = new RegExp(`^(?:open|launch|start|ask|tell|talk to) ${inv}$`, "i");
  const oneShot = new RegExp(`^(?:ask|tell) ${inv}(?: (?:to|for|that|about))? (.+)$`, "i");

  const alexa = VirtualAlexa.Builder()
    .handler(__filename.replace(/\.js$/, "") + ".echo")
    .interactionModelFile(model)
    .applicationID("amzn1.ask.skill.corpus-check")
    .locale(input.locale || "en-US")
    .create();

  for (const text of input.texts) {
    let heard = text
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/check-in/gi, "check in")
      .split(/\s+/)
      .filter((word) => word && !fillers.has(word.replace(/[^\w']/g, "").toLowerCase()))
      .join(" ");
    const bare = heard.replace(/[!?.,;:]/g, "").trim();
    let result;
    if (launchOnly.test(bare)) {
      lastRequest = null;
      await alexa.launch();
      result = { ...summary(lastRequest), via: "launch" };
    } else {
      const found = oneShot.exec(bare);
      if (found) heard = found[1]; // the launch API: a new session with the request in it
      result = await resolve(alexa, heard);
    }
    console.log(JSON.stringify({ text, ...result }));
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  });
}
