// A static file server on loopback with HTTP basic auth, run as its own process by tests (the CLI
// they run is spawned synchronously, which would block a server in the test's own process).
// Usage: node basic-auth-server.mjs <dir> <user> <password>; prints "port <n>" when listening, then
// "request <method> <path>" for each request it is asked (so a test can count them).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const [dir, user, password] = process.argv.slice(2);
const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const server = createServer((req, res) => {
  process.stdout.write(`request ${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}\n`);
  if (req.headers.authorization !== expected) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end('unauthorized');
    return;
  }
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dir, path);
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'application/yaml' : 'application/gzip' });
  createReadStream(file).pipe(res);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
