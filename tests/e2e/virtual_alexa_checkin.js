// A whole check-in over HTTP, driven by virtual-alexa from the interaction model.
// Usage: node virtual_alexa_checkin.js <skill URL> <interaction model file>
// Prints one line per turn; exits 1 on the first expectation that fails.
"use strict";

const { VirtualAlexa } = require("virtual-alexa");

const [url, model] = process.argv.slice(2);
const USER = "amzn1.ask.account.e2e-couple";

// A virtual Echo of the household `user`, talking to the skill at `url` with the interaction
// model `model` (virtual_alexa_meditation.js builds its two Echos with it too).
function echoOf(skillURL, modelFile, user) {
  const alexa = VirtualAlexa.Builder()
    .skillURL(skillURL)
    .interactionModelFile(modelFile)
    .applicationID("amzn1.ask.skill.e2e-check")
    .locale("en-US")
    .create();
  alexa.context().user().setID(user);
  return alexa;
}

function device() {
  return echoOf(url, model, USER); // the same household in every session
}

function speech(reply) {
  const ssml = (reply.response && reply.response.outputSpeech && reply.response.outputSpeech.ssml) || "";
  return ssml.replace(/<break time="(\w+)"\/>/g, "[$1]").replace(/<[^>]+>/g, "");
}

function expect(step, reply, patterns, { ends = false } = {}) {
  const said = speech(reply);
  console.log(`${step}: ${said}`);
  for (const pattern of patterns) {
    if (!pattern.test(said)) {
      console.error(`FAILED at ${step}: ${pattern} not in: ${said}`);
      process.exit(1);
    }
  }
  const ended = reply.response.shouldEndSession === true;
  if (ended !== ends) {
    console.error(`FAILED at ${step}: shouldEndSession is ${ended}, expected ${ends}`);
    process.exit(1);
  }
}

async function main() {
  let alexa = device();
  expect("launch", await alexa.launch(), [/first names/]);
  expect("names", await alexa.utter("we are sam and alex"), [/Sam and Alex/, /right/]);
  expect("confirm", await alexa.utter("yes"), [/quick check-in/, /Ready\?/]);
  expect("mindful pause", await alexa.utter("yes"), [/minute pause/, /\[10s\]/, /gratitude round/]);
  expect("gratitude, Sam", await alexa.utter("next"), [/Sam/, /\[10s\] \[10s\] \[10s\] \[10s\] \[5s\]/]);
  expect("gratitude, Alex", await alexa.utter("we're done"), [/^Alex|Alex,/]);
  expect("questions, Sam", await alexa.utter("next"), [/Sam/, /\?/]);
  expect("stop", await alexa.utter("stop"), [/Saved|saved/, /resume our check-in/], { ends: true });

  alexa = device(); // a new session of the same couple, as on another evening or device
  expect("resume", await alexa.launch(), [/questions for each other, Sam's turn/]);
  expect("questions, Alex", await alexa.utter("next"), [/Alex/]);
  // the closing; their first check-in ends by offering a weekly reminder, and they say no
  expect("closing", await alexa.utter("next"), [/hug|appreciation|kind word|before we finish/, /remind/]);
  expect("goodbye", await alexa.utter("no"), [/Thank/], { ends: true });
  console.log("virtual-alexa check-in: OK");
}

exports.echoOf = echoOf;

if (require.main === module) {
  main().catch((error) => {
    console.error(`FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  });
}
