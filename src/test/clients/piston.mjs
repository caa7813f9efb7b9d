// Drives the real npm client piston-client (1.0.2, see package.json) against a server, unchanged:
//   node piston.mjs <base URL>   with a JSON plan on stdin: [{"name", "language", "code", "config"?}, ...]
// and prints {"runtimes": <client.runtimes()>, "answers": {<name>: <client.execute(language, code, config)>}}.
// The calls run at once, as a bot's users would send them. Used by PistonApiIT.
import piston from 'piston-client';

const server = process.argv[2];
let input = '';
for await (const chunk of process.stdin) {
    input += chunk;
}
const plan = JSON.parse(input);
const client = piston({ server });
const runtimes = await client.runtimes();
const answers = {};
await Promise.all(plan.map(async call => {
    answers[call.name] = await client.execute(call.language, call.code, call.config || {});
}));
process.stdout.write(JSON.stringify({ runtimes, answers }));
