/**
 * A real Git smart-HTTP server for tests, with no internet: `git http-backend` run as CGI behind a
 * Node http server on 127.0.0.1, requiring Basic auth. Serves every repository under projectRoot.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** "http://127.0.0.1:PORT" */
  readonly url: string;
  /** Requests seen, with the user they authenticated as ("" when refused). */
  readonly requests: ReadonlyArray<{ readonly method: string; readonly path: string; readonly user: string; readonly status: number }>;
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  readonly projectRoot: string;
  /** username → password accepted by Basic auth. */
  readonly users: Readonly<Record<string, string>>;
}

function authenticate(req: IncomingMessage, users: Readonly<Record<string, string>>): string | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return colon > 0 && Object.hasOwn(users, user) && users[user] === password ? user : undefined;
}

/** Runs one CGI request through `git http-backend`, parsing its header block into the HTTP response. */
function runBackend(req: IncomingMessage, res: ServerResponse, projectRoot: string, user: string): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_USER: user,
    REMOTE_ADDR: '127.0.0.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  if (typeof req.headers['git-protocol'] === 'string') env.GIT_PROTOCOL = req.headers['git-protocol'];
  if (typeof req.headers['content-encoding'] === 'string') env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];

  return new Promise((resolve) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersDone = false;
    let status = 200;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
      if (end < 0) return;
      const sep = end === crlf ? 4 : 2;
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      headersDone = true;
      const rest = head.subarray(end + sep);
      if (rest.length) res.write(rest);
    });
    child.on('close', (code) => {
      if (!headersDone) {
        res.statusCode = 500;
        res.end(`git http-backend failed (${code}): ${stderr}`);
        resolve(500);
        return;
      }
      res.end();
      resolve(status);
    });
  });
}

export async function startGitHttpServer(opts: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: Array<{ method: string; path: string; user: string; status: number }> = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const user = authenticate(req, opts.users);
    if (!user) {
      requests.push({ method: req.method ?? '', path, user: '', status: 401 });
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="slipway-test"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    void runBackend(req, res, opts.projectRoot, user).then((status) => requests.push({ method: req.method ?? '', path, user, status }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
