/** The check requests Verify sends to the running container, with node's http (no dependencies). */
import * as http from 'http';
import { randomBytes } from 'crypto';

export interface HttpAnswer {
  status: number;
  body: string;
}

export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body, 'utf8');
    const req = http.request(url, { method: opts.method ?? 'GET', headers: { ...(opts.headers ?? {}), ...(body ? { 'Content-Length': String(body.length) } : {}) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export function postJson(url: string, value: unknown, timeoutMs?: number): Promise<HttpAnswer> {
  return request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value), timeoutMs });
}

export function postForm(url: string, fields: Record<string, string>, timeoutMs?: number): Promise<HttpAnswer> {
  return request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), timeoutMs });
}

/** A multipart/form-data upload of one file, as `curl -F field=@file` sends it. */
export function postFile(url: string, field: string, fileName: string, content: Buffer, timeoutMs?: number): Promise<HttpAnswer> {
  const boundary = `----dockerfile-coach-${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return request(url, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body, timeoutMs });
}
