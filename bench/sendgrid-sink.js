// A bare SendGrid /v3/mail/send sink for benchmarks: answers 202 at once and counts what it got.
// It runs in its own process so the benchmark's memory figures are the service's alone.
const { createServer } = require('node:http');

let requests = 0;
let recipients = 0;

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    requests += 1;
    recipients += body.personalizations.length;
    res.writeHead(202, { 'X-Message-Id': `bench-${requests}` }).end();
  });
});

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (msg) => {
  if (msg === 'report') process.send({ requests, recipients });
});
