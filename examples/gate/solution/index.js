const http = require('http');
const crypto = require('crypto');

// Set at run time: docker run -e HMAC_ALGO=sha256 -e HMAC_SECRET=... (never baked into the image).
const algorithm = process.env.HMAC_ALGO || 'sha256';
const secret = process.env.HMAC_SECRET;
if (!secret) {
  console.error('HMAC_SECRET is not set');
  process.exit(1);
}
try {
  crypto.createHmac(algorithm, secret);
} catch (e) {
  console.error(`HMAC_ALGO "${algorithm}": ${e.message}`);
  process.exit(1);
}

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

// 0.0.0.0, not localhost: inside a container localhost is unreachable from outside it.
server.listen(9000, '0.0.0.0', () => {
  console.log('listening on 0.0.0.0:9000');
});

// PID 1 in a container gets SIGTERM on `docker stop`: close and exit instead of waiting to be killed.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
