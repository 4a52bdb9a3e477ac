// The size cap of URL answers (FETCH_MAX_BYTES), against a real local HTTP server: a 2 MB gzip
// bomb (2 GB once decompressed) and an endless chunked answer are each a rejected source naming
// the limit, and the peak memory of the ingesting process — a child, measured by itself — stays
// far below what reading them whole would take.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isPaperwireError } from '../../src/errors.ts';
import { fetchText } from '../../src/ingest/fetch.ts';
import { cleanEnv } from '../helpers/cli.ts';
import { listenDuringFile } from '../helpers/net.ts';
import { repoRoot } from './helpers.ts';

// A valid gzip file may hold many members one after another: 1,995 copies of 1 MB of zeros
// (1 KB each compressed) make a 2 MB answer that decompresses to 2 GB.
const member = gzipSync(Buffer.alloc(2 ** 20), { level: 9 });
const bomb = Buffer.concat(Array.from({ length: Math.floor(2 ** 21 / member.length) }, () => member));

/** Writes 64 KB chunks for as long as the client reads, with backpressure; stops when it hangs up. */
function endless(response: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, '[');
  response.writeHead(200, { 'content-type': 'application/json' });
  const pump = (): void => {
    while (!response.destroyed && response.write(chunk)) {
      // keep writing until the socket's buffer is full
    }
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
}

const server = createServer((request, response) => {
  if (request.url === '/bomb') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb);
  } else if (request.url === '/endless') {
    endless(response);
  } else if (request.url === '/gzip-ok') {
    response
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .end(gzipSync('[{"paper": {"id": "2611.00001", "title": "Small and compressed"}}]'));
  } else if (request.url === '/big') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.alloc(5000, 'x'));
  } else if (request.url === '/chunked-big') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write(Buffer.alloc(3000, 'x'));
    response.end(Buffer.alloc(3000, 'x'));
  } else response.writeHead(404).end();
});
const api = listenDuringFile(server);

interface ChildResult {
  problem: { code: string | null; message: string } | null;
  peakRssMb: number;
}

/** Runs fetch-limit-child.ts on `url`; kills it after 90 s. Resolves with its report, or rejects with its stderr. */
function ingestInChild(url: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test', 'ingest', 'fetch-limit-child.ts'), url],
      { cwd: repoRoot, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr += data));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1);
      if (code === 0 && line) resolve(JSON.parse(line) as ChildResult);
      else reject(new Error(`the child ended with ${signal ?? `exit code ${code}`}: ${stderr.slice(-2000)}`));
    });
  });
}

/** Peak RSS the child may reach: its own ~100 MB (Node, tsx, SQLite) plus the 64 MB cap and slack. */
const PEAK_RSS_LIMIT_MB = 400;

test('a 2 MB gzip bomb is a rejected source naming FETCH_MAX_BYTES, read in bounded memory', async (t) => {
  const result = await ingestInChild(`${api.url}/bomb`);
  t.diagnostic(`peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  assert.equal(result.problem?.code, 'E_SOURCE_READ');
  assert.match(result.problem?.message ?? '', /FETCH_MAX_BYTES=67108864/);
  assert.ok(result.peakRssMb < PEAK_RSS_LIMIT_MB, `peak RSS ${result.peakRssMb.toFixed(0)} MB`);
});

test('an endless chunked answer is cut off at the cap, read in bounded memory', async (t) => {
  const result = await ingestInChild(`${api.url}/endless`);
  t.diagnostic(`peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  assert.equal(result.problem?.code, 'E_SOURCE_READ');
  assert.match(result.problem?.message ?? '', /FETCH_MAX_BYTES=67108864/);
  assert.ok(result.peakRssMb < PEAK_RSS_LIMIT_MB, `peak RSS ${result.peakRssMb.toFixed(0)} MB`);
});

test('the cap counts a declared Content-Length, a chunked body, and decompressed bytes', async () => {
  const options = { timeoutMs: 2000, maxAttempts: 3, maxBytes: 4096 };
  for (const path of ['/big', '/chunked-big', '/bomb']) {
    await assert.rejects(
      fetchText(`${api.url}${path}`, options),
      (error: unknown) =>
        isPaperwireError(error, 'E_SOURCE_READ') && /FETCH_MAX_BYTES=4096/.test(error.message),
      path,
    );
  }
  // Under the cap, a gzip answer is decoded like any other.
  assert.match(await fetchText(`${api.url}/gzip-ok`, options), /Small and compressed/);
});
