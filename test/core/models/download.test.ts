import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-main/shared/errors';
import { downloadFile } from '../../../src-main/core/models/download';
import { generatedFile, startByteServer } from './byte-server';
import type { ByteServer } from './byte-server';

const SIZE = 1_000_000;
const HALF = SIZE / 2;
const model = generatedFile(SIZE);

let server: ByteServer;
let dir: string;
let dest: string;

beforeAll(async () => {
  server = await startByteServer({ '/model.onnx': model.body });
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'photoseek-download-'));
  dest = path.join(dir, 'onnx', 'model.onnx');
  server.requests.length = 0;
  server.ignoreRange = false;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function expectCode(code: ErrorCode) {
  return expect.objectContaining({ name: 'PhotoseekError', code });
}

const pinned = () => ({ url: server.url('/model.onnx'), dest, bytes: SIZE, sha256: model.sha256 });

describe('downloadFile', () => {
  it('streams the file into place with monotonic progress ending at the total', async () => {
    const progress: [number, number][] = [];
    const result = await downloadFile({
      ...pinned(),
      onProgress: (received, total) => progress.push([received, total]),
    });

    expect(result).toEqual({ bytes: SIZE, sha256: model.sha256 });
    expect(readFileSync(dest).equals(model.body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    const received = progress.map(([value]) => value);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.every(([, total]) => total === SIZE)).toBe(true);
    expect(progress.at(-1)).toEqual([SIZE, SIZE]);
  });

  it('takes the total from Content-Length when no size is pinned', async () => {
    const totals = new Set<number>();
    await downloadFile({
      url: server.url('/model.onnx'),
      dest,
      onProgress: (_, t) => totals.add(t),
    });
    expect([...totals]).toEqual([SIZE]);
  });

  it('resumes with a Range request after the server drops the connection half-way', async () => {
    server.stallNext('/model.onnx', HALF);
    const first = downloadFile({
      ...pinned(),
      onProgress: (received) => received === HALF && server.dropStalled(),
    });
    await expect(first).rejects.toThrow(expectCode('DOWNLOAD_FAILED'));
    expect(existsSync(dest)).toBe(false);
    expect(statSync(`${dest}.part`).size).toBe(HALF);

    const progress: number[] = [];
    await downloadFile({ ...pinned(), onProgress: (received) => progress.push(received) });

    expect(server.requests.map((request) => request.range)).toEqual([undefined, `bytes=${HALF}-`]);
    expect(progress[0]).toBeGreaterThan(HALF);
    expect(readFileSync(dest).equals(model.body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('restarts from zero when the server ignores Range and answers 200', async () => {
    server.stallNext('/model.onnx', HALF);
    const first = downloadFile({
      ...pinned(),
      onProgress: (received) => received === HALF && server.dropStalled(),
    });
    await expect(first).rejects.toThrow(expectCode('DOWNLOAD_FAILED'));

    server.ignoreRange = true;
    const result = await downloadFile(pinned());

    expect(server.requests[1]?.range).toBe(`bytes=${HALF}-`);
    expect(result.sha256).toBe(model.sha256);
    expect(readFileSync(dest).equals(model.body)).toBe(true);
  });

  it('does not resume a .part it cannot verify (no sha256): it starts from zero', async () => {
    const unpinned = { url: server.url('/model.onnx'), dest };
    server.stallNext('/model.onnx', HALF);
    const first = downloadFile({
      ...unpinned,
      onProgress: (received) => received === HALF && server.dropStalled(),
    });
    await expect(first).rejects.toThrow(expectCode('DOWNLOAD_FAILED'));

    await downloadFile(unpinned);

    expect(server.requests.map((request) => request.range)).toEqual([undefined, undefined]);
    expect(readFileSync(dest).equals(model.body)).toBe(true);
  });

  it('rejects a checksum mismatch and leaves neither the file nor a .part', async () => {
    const wrong = 'f'.repeat(64);
    const attempt = downloadFile({ ...pinned(), sha256: wrong });

    await expect(attempt).rejects.toThrow(expectCode('CHECKSUM_MISMATCH'));
    await expect(attempt).rejects.toThrow(new RegExp(`model.onnx.*${wrong}.*${model.sha256}`));
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('rejects a file larger than its pinned size', async () => {
    const attempt = downloadFile({ ...pinned(), bytes: SIZE - 10 });
    await expect(attempt).rejects.toThrow(expectCode('CHECKSUM_MISMATCH'));
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('reports an HTTP error with its status', async () => {
    const attempt = downloadFile({ url: server.url('/missing.onnx'), dest });
    await expect(attempt).rejects.toThrow(expectCode('DOWNLOAD_FAILED'));
    await expect(attempt).rejects.toThrow(/HTTP 404/);
    expect(existsSync(dest)).toBe(false);
  });

  it('reports a refused connection as OFFLINE with a hint', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const attempt = downloadFile({ url: `http://127.0.0.1:${port}/model.onnx`, dest });
    await expect(attempt).rejects.toThrow(expectCode('OFFLINE'));
    await expect(attempt).rejects.toThrow(`Could not reach 127.0.0.1:${port}`);
    await expect(attempt).rejects.toThrow('photoseek models add <dir>');
  });

  it('cancels on abort, keeps the .part, and the next call resumes from it', async () => {
    server.stallNext('/model.onnx', HALF);
    const controller = new AbortController();
    const attempt = downloadFile({
      ...pinned(),
      signal: controller.signal,
      onProgress: (received) => received === HALF && controller.abort(),
    });

    await expect(attempt).rejects.toThrow(expectCode('CANCELLED'));
    expect(existsSync(dest)).toBe(false);
    expect(statSync(`${dest}.part`).size).toBe(HALF);

    await downloadFile(pinned());
    expect(server.requests.at(-1)?.range).toBe(`bytes=${HALF}-`);
    expect(readFileSync(dest).equals(model.body)).toBe(true);
  });

  it('admits one writer per .part: a second download of the same file waits its turn with a clear error', async () => {
    server.stallNext('/model.onnx', HALF);
    const controller = new AbortController();
    let halfway: () => void = () => undefined;
    const reachedHalf = new Promise<void>((resolve) => (halfway = resolve));
    const first = downloadFile({
      ...pinned(),
      signal: controller.signal,
      onProgress: (received) => received === HALF && halfway(),
    });
    await reachedHalf;
    const second = downloadFile(pinned());
    await expect(second).rejects.toThrow(expectCode('DOWNLOAD_FAILED'));
    await expect(second).rejects.toThrow(
      `Another Photoseek process (pid ${process.pid}) is downloading model.onnx`,
    );
    controller.abort();
    await expect(first).rejects.toThrow(expectCode('CANCELLED'));
    expect(existsSync(`${dest}.part.lock`)).toBe(false);
  });

  it('takes over the lock of a download whose process was killed', async () => {
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    mkdirSync(path.dirname(dest), { recursive: true });
    writeFileSync(`${dest}.part.lock`, gone);
    await downloadFile(pinned());
    expect(readFileSync(dest).equals(model.body)).toBe(true);
    expect(existsSync(`${dest}.part.lock`)).toBe(false);
  });
});
