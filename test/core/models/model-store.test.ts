import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-main/shared/errors';
import type { DownloadProgress } from '../../../src-main/shared/types';
import { downloadableFiles } from '../../../src-main/core/models/model-download';
import { createModelStore } from '../../../src-main/core/models/model-store';
import { loadRegistry } from '../../../src-main/core/models/registry';
import { generatedFile, startByteServer } from './byte-server';
import type { ByteServer } from './byte-server';
import { buildSyntheticModel } from '../../fixtures/synthetic-model';

const REVISION = '0123456789abcdef0123456789abcdef01234567';
const REPO = `/acme/tiny-clip/resolve/${REVISION}`;
const vision = generatedFile(300_000);
const text = generatedFile(200_000);
const tokenizer = Buffer.from(JSON.stringify({ model: { type: 'BPE', vocab: { a: 0 } } }));

const imageSpec = {
  size: 32,
  resize: 'shortest-edge-crop',
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
  rescale: 1 / 255,
};
const textSpec = { contextLength: 8, padTokenId: 0 };

/** A registry entry whose files live on the test server (`origin`) under REPO. */
function registryEntry(id: string, origin: string) {
  return {
    id,
    name: `Tiny ${id}`,
    family: 'clip',
    revision: REVISION,
    embeddingDim: 8,
    files: {
      vision: {
        path: 'onnx/vision.onnx',
        url: `${origin}${REPO}/onnx/vision.onnx`,
        bytes: vision.body.length,
        sha256: vision.sha256,
      },
      text: {
        path: 'onnx/text.onnx',
        url: `${origin}${REPO}/onnx/text.onnx`,
        bytes: text.body.length,
        sha256: text.sha256,
      },
      tokenizer: { path: 'tokenizer.json', url: `${origin}${REPO}/tokenizer.json` },
    },
    image: imageSpec,
    text: textSpec,
  };
}

let server: ByteServer;
let root: string;
let dataDir: string;
let resourcesDir: string;

beforeAll(async () => {
  server = await startByteServer({
    [`${REPO}/onnx/vision.onnx`]: vision.body,
    [`${REPO}/onnx/text.onnx`]: text.body,
    [`${REPO}/tokenizer.json`]: tokenizer,
  });
});
afterAll(() => server.close());

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'photoseek-models-'));
  dataDir = path.join(root, 'data');
  resourcesDir = path.join(root, 'resources');
  mkdirSync(resourcesDir);
  const models = [
    registryEntry('tiny', server.origin),
    registryEntry('tiny-mirrored', 'https://huggingface.co'),
  ];
  writeFileSync(path.join(resourcesDir, 'models.json'), JSON.stringify({ models }));
  server.requests.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const openStore = () => createModelStore({ dataDir, resourcesDir });
const code = (expected: ErrorCode) => expect.objectContaining({ code: expected });

function expectInstalledFiles(dir: string): void {
  expect(readFileSync(path.join(dir, 'onnx/vision.onnx')).equals(vision.body)).toBe(true);
  expect(readFileSync(path.join(dir, 'onnx/text.onnx')).equals(text.body)).toBe(true);
  expect(readFileSync(path.join(dir, 'tokenizer.json')).equals(tokenizer)).toBe(true);
}

describe('model store: registry models', () => {
  it('downloads a model with per-file progress, then lists it installed and active', async () => {
    const store = openStore();
    expect(store.list().map(({ id, installed, active }) => ({ id, installed, active }))).toEqual([
      { id: 'tiny', installed: false, active: false },
      { id: 'tiny-mirrored', installed: false, active: false },
    ]);
    expect(store.get('tiny')).toBeNull();

    const progress: DownloadProgress[] = [];
    const model = await store.download('tiny', { onProgress: (p) => progress.push(p) });

    expect(model.dir).toBe(path.join(dataDir, 'models', 'tiny'));
    expectInstalledFiles(model.dir);
    for (const [file, size] of [
      ['onnx/vision.onnx', vision.body.length],
      ['onnx/text.onnx', text.body.length],
      ['tokenizer.json', tokenizer.length],
    ] as const) {
      const received = progress.filter((p) => p.file === file).map((p) => p.receivedBytes);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(received.at(-1)).toBe(size);
    }
    const summary = store.list().find((entry) => entry.id === 'tiny');
    expect(summary).toMatchObject({ installed: true, active: true, source: 'registry' });
    expect(summary?.bytes).toBe(vision.body.length + text.body.length);
    expect(openStore().active()?.spec.id).toBe('tiny');
  });

  it('replaces the Hugging Face origin with baseUrl', async () => {
    const model = await openStore().download('tiny-mirrored', { baseUrl: server.origin });
    expectInstalledFiles(model.dir);
    expect(server.requests.map((request) => request.path)).toContain(`${REPO}/onnx/vision.onnx`);
  });

  it('resumes an interrupted model download on the next call', async () => {
    const store = openStore();
    server.stallNext(`${REPO}/onnx/text.onnx`, 50_000);
    const first = store.download('tiny', {
      onProgress: (p) => {
        if (p.file === 'onnx/text.onnx' && p.receivedBytes === 50_000) server.dropStalled();
      },
    });
    await expect(first).rejects.toThrow(code('DOWNLOAD_FAILED'));
    expect(store.list()[0]).toMatchObject({ installed: false, active: false });

    server.requests.length = 0;
    const model = await store.download('tiny');

    expect(server.requests).toEqual([
      { path: `${REPO}/onnx/text.onnx`, range: 'bytes=50000-' },
      { path: `${REPO}/tokenizer.json`, range: undefined },
    ]);
    expectInstalledFiles(model.dir);
    expect(store.get('tiny')).not.toBeNull();
  });

  it('notices a file damaged after installation without re-downloading at start-up', async () => {
    const { dir } = await openStore().download('tiny');
    truncateSync(path.join(dir, 'onnx/text.onnx'), 10);

    const store = openStore();
    expect(store.get('tiny')).toBeNull();
    expect(store.list()[0]?.installed).toBe(false);
  });

  it('use() switches the active model and the choice survives a new store', async () => {
    const store = openStore();
    await store.download('tiny');
    await store.download('tiny-mirrored', { baseUrl: server.origin });
    expect(store.active()?.spec.id).toBe('tiny');

    expect(store.use('tiny-mirrored').spec.id).toBe('tiny-mirrored');

    const reopened = openStore();
    expect(reopened.active()?.spec.id).toBe('tiny-mirrored');
    expect(
      reopened
        .list()
        .filter((entry) => entry.active)
        .map((entry) => entry.id),
    ).toEqual(['tiny-mirrored']);
  });

  it('use() of a model that is not installed says how to install it', () => {
    const store = openStore();
    expect(() => store.use('tiny')).toThrow(code('MODEL_MISSING'));
    expect(() => store.use('tiny')).toThrow('photoseek models download tiny');
    expect(() => store.use('nope')).toThrow(code('NOT_FOUND'));
    expect(store.active()).toBeNull();
  });
});

describe('model store: shipped registry', () => {
  it('lists the shipped models, each downloadable under the download policy', () => {
    const store = createModelStore({ dataDir });
    const listed = store.list();
    expect(listed.map((entry) => entry.id)).toEqual([
      'clip-vit-b32-int8',
      'clip-vit-b16-int8',
      'siglip-b16-224-int8',
      'mobileclip-s0',
    ]);
    for (const spec of loadRegistry().models) expect(() => downloadableFiles(spec)).not.toThrow();
    expect(listed.find((entry) => entry.id === 'mobileclip-s0')?.licence).toMatchObject({
      commercialUse: false,
    });
    expect(listed.every((entry) => entry.textSearch && entry.bytes !== null)).toBe(true);
  });
});

describe('model store: local model folders', () => {
  let folder: string;

  function writeLocalModel(spec: Record<string, unknown>, files: Record<string, Buffer>): void {
    for (const [relative, body] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
      writeFileSync(path.join(folder, relative), body);
    }
    writeFileSync(path.join(folder, 'photoseek-model.json'), JSON.stringify(spec));
  }

  const localSpec = (overrides: Record<string, unknown> = {}) => ({
    id: 'my-export',
    name: 'My export',
    family: 'siglip',
    embeddingDim: 8,
    files: {
      vision: { path: 'vision.onnx', sha256: vision.sha256 },
      text: { path: 'nested/text.onnx' },
      tokenizer: { path: 'tokenizer.json' },
    },
    image: { ...imageSpec, resize: 'squash' },
    text: { ...textSpec, lowercase: true },
    ...overrides,
  });
  const localFiles = {
    'vision.onnx': vision.body,
    'nested/text.onnx': text.body,
    'tokenizer.json': tokenizer,
  };

  beforeEach(() => {
    folder = path.join(root, 'my-export');
    mkdirSync(folder);
  });

  it('registers a folder in place, makes it active, and remembers it', async () => {
    // A model that runs (models add proves it: [Note: Models are proven before use]).
    const built = await buildSyntheticModel(folder, { imageOnly: true });
    const spec = {
      ...built.spec,
      id: 'my-export',
      image: { ...built.spec.image, resize: 'squash' },
    };
    writeFileSync(path.join(folder, 'photoseek-model.json'), JSON.stringify(spec));
    const model = await openStore().addLocal(folder);

    expect(model.dir).toBe(folder);
    expect(model.spec.image.resize).toBe('squash');
    expect(existsSync(path.join(dataDir, 'models', 'my-export'))).toBe(false);
    const reopened = openStore();
    expect(reopened.get('my-export')?.dir).toBe(folder);
    expect(reopened.active()?.spec.id).toBe('my-export');
    expect(reopened.list().find((entry) => entry.id === 'my-export')).toMatchObject({
      source: 'local',
      installed: true,
      active: true,
      bytes: null,
      textSearch: false,
    });
  });

  it('rejects a folder with a missing file, naming it', async () => {
    const { 'nested/text.onnx': _missing, ...rest } = localFiles;
    writeLocalModel(localSpec(), rest);
    const attempt = openStore().addLocal(folder);
    await expect(attempt).rejects.toThrow(code('MODEL_INVALID'));
    await expect(attempt).rejects.toThrow(/missing nested\/text\.onnx/);
    expect(
      openStore()
        .list()
        .map((entry) => entry.id),
    ).not.toContain('my-export');
  });

  it('rejects an invalid spec, listing the bad fields', async () => {
    writeLocalModel(localSpec({ name: undefined, image: { ...imageSpec, size: -1 } }), localFiles);
    const attempt = openStore().addLocal(folder);
    await expect(attempt).rejects.toThrow(code('MODEL_INVALID'));
    await expect(attempt).rejects.toThrow(/name[\s\S]*image\.size|image\.size[\s\S]*name/);
  });

  it('rejects a folder without photoseek-model.json', async () => {
    await expect(openStore().addLocal(folder)).rejects.toThrow(/no photoseek-model\.json/);
  });

  it('rejects a file whose sha256 differs from the spec', async () => {
    writeLocalModel(localSpec(), { ...localFiles, 'vision.onnx': text.body });
    await expect(openStore().addLocal(folder)).rejects.toThrow(code('CHECKSUM_MISMATCH'));
  });

  it('rejects a file path that leaves the folder', async () => {
    const spec = localSpec();
    writeLocalModel(
      { ...spec, files: { ...spec.files, tokenizer: { path: '../outside.json' } } },
      localFiles,
    );
    await expect(openStore().addLocal(folder)).rejects.toThrow(/outside the model folder/);
  });

  it('rejects an id that belongs to a registry model', async () => {
    writeLocalModel(localSpec({ id: 'tiny' }), localFiles);
    await expect(openStore().addLocal(folder)).rejects.toThrow(/belongs to a registry model/);
  });
});
