const http = require('http');
const crypto = require('crypto');

// FIXME: algorithm is hardcoded
const algorithm = 'sha256';
// FIXME: secret is hardcoded
const secret = 'dev-secret';

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST' });
    res.end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    let data;
    try {
      data = JSON.parse(body).data;
    } catch {
      data = undefined;
    }
    if (typeof data !== 'string') {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('expected JSON {"data": "..."}\n');
      return;
    }
    const hmac = crypto.createHmac(algorithm, secret).update(data).digest('hex');
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(hmac);
  });
});

server.listen(9000, 'localhost', () => {
  console.log('listening on http://localhost:9000');
});
