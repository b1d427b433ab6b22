// A meditation over HTTP, heard through virtual-alexa's AudioPlayer emulation: the living
// room starts ten minutes, pauses them part way, the kitchen (another Echo of the same
// household) resumes them at that offset, and they play to the end.
// Usage: node virtual_alexa_meditation.js <skill URL> <interaction model file>
// Prints one line per step and one per request the devices sent; exits 1 on the first
// expectation that fails.
//
// What virtual-alexa (0.7.x) emulates, read from its lib/src/audioPlayer/AudioPlayer.js:
// - a Play directive (REPLACE_ALL) starts the stream at once and sends PlaybackStarted; it
//   never fetches the URL (so the file need not exist), but refuses an http: URL;
// - no time passes by itself: the stream's offset is set with playbackOffset(ms), which the
//   next report carries, and playbackNearlyFinished() / playbackFinished() send those
//   reports when the test says the stream got there;
// - an utterance while the stream plays first sends PlaybackStopped (the device ducks the
//   audio for the voice), then the intent; a Stop directive in the answer keeps it stopped,
//   otherwise it sends PlaybackStarted again and plays on.
// It does not emulate PlaybackFailed, ClearQueue or the PlaybackController buttons: those are
// tested through the Lambda handler (tests/test_meditation_lambda.py).
"use strict";

const { echoOf } = require("./virtual_alexa_checkin");

const [url, model] = process.argv.slice(2);
const USER = "amzn1.ask.account.e2e-meditating-couple";
const PAUSED_AT = 184_000; // three minutes and four seconds in
const TEN_MINUTES = 600_000;

function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}

// Every request a device sends and the skill's answer, in order.
const exchanges = [];

function device(name, deviceId) {
  const alexa = echoOf(url, model, USER); // one household
  alexa.context().device().setID(deviceId); // two Echos
  const interactor = alexa.interactor();
  const invoke = interactor.invoke.bind(interactor);
  interactor.invoke = async (request) => {
    const reply = await invoke(request);
    const req = request.request;
    const offset = req.offsetInMilliseconds === undefined ? "" : ` offset=${req.offsetInMilliseconds}`;
    const what = req.intent ? req.intent.name : req.type;
    console.log(`  ${name} -> ${what}${offset}`);
    exchanges.push({ device: name, deviceId: request.context.System.device.deviceId, request, reply });
    return reply;
  };
  return alexa;
}

function speech(reply) {
  const ssml = (reply.response && reply.response.outputSpeech && reply.response.outputSpeech.ssml) || "";
  return ssml.replace(/<[^>]+>/g, "");
}

function directive(reply, type) {
  return ((reply.response && reply.response.directives) || []).find((d) => d.type === type);
}

function step(name, reply, check) {
  console.log(`${name}: ${speech(reply)}`);
  const problem = check(reply);
  if (problem) fail(`at ${name}: ${problem}`);
}

function since(mark) {
  return exchanges.slice(mark);
}

function reports(list, type) {
  return list.filter((e) => e.request.request.type === type);
}

async function main() {
  const livingRoom = device("living room", "amzn1.ask.device.e2e-living-room");
  step("launch", await livingRoom.launch(), (r) => (/first names/.test(speech(r)) ? "" : "no name question"));
  step("names", await livingRoom.utter("we are sam and alex"), (r) => (/right/.test(speech(r)) ? "" : "no confirmation"));
  step("confirm", await livingRoom.utter("yes"), (r) => (/Ready\?/.test(speech(r)) ? "" : "not ready"));

  let mark = exchanges.length;
  step("ten minutes", await livingRoom.utter("a 10 minute meditation"), (r) => {
    const play = directive(r, "AudioPlayer.Play");
    if (!play) return "no Play directive";
    if (!speech(r)) return "nothing said before the audio";
    if (r.response.shouldEndSession !== true) return "the session stays open";
    const stream = play.audioItem.stream;
    if (!stream.url.startsWith("https://")) return `not an https stream: ${stream.url}`;
    if (!/^appreciation-together-10\./.test(stream.token)) return `not the ten minutes: ${stream.token}`;
    if (stream.offsetInMilliseconds !== 0) return `starts at ${stream.offsetInMilliseconds}`;
    return "";
  });
  const token = livingRoom.audioPlayer().playing().stream.token;
  if (!livingRoom.audioPlayer().isPlaying()) fail("the living room is not playing");
  if (reports(since(mark), "AudioPlayer.PlaybackStarted").length !== 1) fail("no PlaybackStarted");

  livingRoom.audioPlayer().playbackOffset(PAUSED_AT); // three minutes pass
  mark = exchanges.length;
  step("pause", await livingRoom.utter("pause"), (r) => (directive(r, "AudioPlayer.Stop") ? "" : "no Stop directive"));
  const stopped = reports(since(mark), "AudioPlayer.PlaybackStopped");
  if (stopped.length !== 1 || stopped[0].request.request.offsetInMilliseconds !== PAUSED_AT) {
    fail(`the living room did not report one stop at ${PAUSED_AT}`);
  }
  if (livingRoom.audioPlayer().isPlaying()) fail("the living room still plays after the pause");
  if (reports(since(mark), "AudioPlayer.PlaybackStarted").length) fail("the living room started again");

  const kitchen = device("kitchen", "amzn1.ask.device.e2e-kitchen");
  mark = exchanges.length;
  step("resume in the kitchen", await kitchen.utter("resume"), (r) => {
    const play = directive(r, "AudioPlayer.Play");
    if (!play) return "no Play directive";
    if (play.audioItem.stream.token !== token) return `another stream: ${play.audioItem.stream.token}`;
    if (play.audioItem.stream.offsetInMilliseconds !== PAUSED_AT) {
      return `resumed at ${play.audioItem.stream.offsetInMilliseconds}, not ${PAUSED_AT}`;
    }
    return "";
  });
  const started = reports(since(mark), "AudioPlayer.PlaybackStarted");
  if (started.length !== 1 || started[0].device !== "kitchen") fail("the kitchen did not start");
  if (started[0].request.request.offsetInMilliseconds !== PAUSED_AT) fail("the kitchen started elsewhere");

  mark = exchanges.length;
  kitchen.audioPlayer().playbackOffset(TEN_MINUTES - 20_000); // the rest of the ten minutes pass
  await kitchen.audioPlayer().playbackNearlyFinished();
  kitchen.audioPlayer().playbackOffset(TEN_MINUTES);
  await kitchen.audioPlayer().playbackFinished();
  const finished = reports(since(mark), "AudioPlayer.PlaybackFinished");
  if (finished.length !== 1 || finished[0].request.request.offsetInMilliseconds !== TEN_MINUTES) {
    fail("the kitchen did not report the end");
  }
  console.log("finished in the kitchen");

  // Nothing the audio player sent was answered with words, a card, a reprompt or a screen.
  for (const { request, reply } of exchanges) {
    if (!request.request.type.startsWith("AudioPlayer.")) continue;
    const response = reply.response || {};
    const extra = ["outputSpeech", "card", "reprompt"].filter((key) => response[key]);
    const foreign = (response.directives || []).filter((d) => !d.type.startsWith("AudioPlayer."));
    if (extra.length || foreign.length) fail(`${request.request.type} was answered with ${extra} ${foreign}`);
  }
  const devices = new Set(exchanges.map((e) => e.deviceId));
  console.log(`requests: ${exchanges.length} from ${devices.size} devices`);
  console.log("virtual-alexa meditation: OK");
}

main().catch((error) => fail(error && error.stack ? error.stack : error));
