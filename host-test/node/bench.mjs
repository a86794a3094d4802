// Times `get-meeting` through jco: node bench.mjs API_BASE N
// Prints {"ms": [...]} (one instance, as connect() is meant to be used).
// The package is imported by its name, which Node resolves to this folder
// (a package may import itself through its exports); run `node build.mjs` first.
import { connect } from "goto-connector";

const [base, n = "200"] = process.argv.slice(2);
const goto = connect({ allow: [base] });
const connection = { accessToken: "test-token", apiBase: base };
const ms = [];
for (let i = 0; i < Number(n) + 10; i++) {
  const t = process.hrtime.bigint();
  goto.meetings.getMeeting(connection, 123456789n);
  if (i >= 10) ms.push(Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(JSON.stringify({ ms }));
