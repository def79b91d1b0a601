// consume.mjs - reads a Kafka topic from the beginning with kafkajs (a
// pure-JavaScript client, independent of librdkafka) and prints each
// message as KEY<tab>VALUE, one per line, for the tests to compare with
// kcat's view.
//
//   node consume.mjs BROKERS TOPIC EXPECTED_COUNT [TIMEOUT_SECONDS]
//
// Stops once EXPECTED_COUNT messages were read or the time is up (exit 1
// then, with what was read printed), so it never runs unbounded.
import kafkajs from "kafkajs";

const { Kafka, logLevel } = kafkajs;

const [brokers, topic, expectedText, timeoutText] = process.argv.slice(2);
if (!brokers || !topic || !expectedText) {
  console.error("usage: node consume.mjs BROKERS TOPIC EXPECTED_COUNT [TIMEOUT_SECONDS]");
  process.exit(2);
}
const expected = Number(expectedText);
const timeoutMs = Number(timeoutText ?? 30) * 1000;

// kafkajs decodes gzip itself and has no lz4, zstd or snappy codec unless
// one is registered: reading such batches fails, which the tests use to
// tell that the batches really were compressed.
const kafka = new Kafka({ clientId: "flowprep-test", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `flowprep-test-${process.pid}-${Date.now()}` });
const lines = [];
let done;
const finished = new Promise((resolve) => { done = resolve; });

let failure = null;
consumer.on(consumer.events.CRASH, ({ payload }) => {
  failure = payload.error;
  done(false);
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const key = message.key === null ? "" : message.key.toString("utf8");
    lines.push(`${key}\t${message.value.toString("utf8")}`);
    if (lines.length >= expected) done(true);
  },
});
const timer = setTimeout(() => done(false), timeoutMs);
const complete = await finished;
clearTimeout(timer);
await consumer.disconnect();
process.stdout.write(lines.map((l) => l + "\n").join(""));
if (!complete) {
  const why = failure ? `: ${failure.message}` : ` within ${timeoutMs / 1000} s`;
  console.error(`consume.mjs: ${lines.length} of ${expected} messages${why}`);
  process.exit(1);
}
