import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InferenceSession, listSupportedBackends } from 'onnxruntime-node';
import { PhotoseekError } from '../../shared/errors';
import type { OpenSession, TowerSession } from './tower-worker';

/**
 * [Note: Execution providers] A session is created with ONE provider at a time, in this order,
 * and the first that works is kept and reported (the UI and CLI show it):
 *
 *   linux: cuda, webgpu, cpu    win32: dml, webgpu, cpu    darwin: coreml, webgpu, cpu
 *
 * - One provider per attempt, because onnxruntime does not fall back by itself in the ways that
 *   matter: with ['webgpu', 'cpu'] a missing WebGPU adapter throws instead of using the CPU, while
 *   a provider that this onnxruntime-node build lacks (dml on linux) is dropped with only a
 *   console warning. So an unavailable provider is skipped here before any attempt (not listed by
 *   `listSupportedBackends()`, or — cuda — its provider library was never downloaded: the project
 *   skips that download, TOOLCHAIN.md), and a provider that throws while creating the session is
 *   recorded and the next one is tried. Probing is the real session creation: nothing extra is
 *   created when the first provider works, and a failing one costs about a millisecond here.
 * - What cannot be detected: a provider that registers fine but cannot run some operators leaves
 *   those nodes to onnxruntime's built-in CPU kernels, silently. The reported name is the provider
 *   the session was created with, which is honest for the session but not per operator.
 * - Verified on this machine (no GPU): webgpu fails with "Failed to get a WebGPU adapter: No
 *   supported adapters", cuda is skipped (libonnxruntime_providers_cuda.so absent), dml/coreml are
 *   not in the linux build, cpu is used. Not verified here: cuda, dml, coreml or webgpu actually
 *   running on a GPU.
 * - Override: the `providers` option, else env PHOTOSEEK_PROVIDERS (comma-separated, e.g. "cpu" or
 *   "webgpu,cpu"). An override is taken literally: without "cpu" in it there is no CPU fallback.
 */

export const PROVIDER_NAMES = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const PLATFORM_ORDER: Partial<Record<NodeJS.Platform, ProviderName[]>> = {
  linux: ['cuda', 'webgpu', 'cpu'],
  win32: ['dml', 'webgpu', 'cpu'],
  darwin: ['coreml', 'webgpu', 'cpu'],
};

export function defaultProviderOrder(platform: NodeJS.Platform = process.platform): ProviderName[] {
  return PLATFORM_ORDER[platform] ?? ['cpu'];
}

/** The order to try: the explicit list, else PHOTOSEEK_PROVIDERS, else the platform default. */
export function resolveProviderOrder(
  override?: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProviderName[] {
  const fromEnv = env['PHOTOSEEK_PROVIDERS']?.split(',');
  const requested = (override ?? fromEnv ?? [])
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (requested.length === 0) return defaultProviderOrder();
  return requested.map((name) => {
    if (isProviderName(name)) return name;
    throw new PhotoseekError(
      'BAD_ARGUMENT',
      `Unknown execution provider "${name}". Known providers: ${PROVIDER_NAMES.join(', ')}.`,
    );
  });
}

export interface ProviderSession {
  session: TowerSession;
  provider: ProviderName;
  /** Providers tried before `provider`, with why each was not used. */
  skipped: { provider: ProviderName; reason: string }[];
}

/** A session on the calling thread. */
export const openInThisThread: OpenSession = (modelPath, options) =>
  InferenceSession.create(modelPath, options);

/**
 * Creates a session for `modelPath` with the first provider in `providers` that works, opened by
 * `open` (this thread, or a tower worker: [Note: Inference off the host's thread]).
 */
export async function createSessionWithFallback(
  modelPath: string,
  providers: readonly ProviderName[],
  options: InferenceSession.SessionOptions = {},
  open: OpenSession = openInThisThread,
): Promise<ProviderSession> {
  const skipped: ProviderSession['skipped'] = [];
  for (const provider of providers) {
    const unavailable = unavailableReason(provider);
    if (unavailable) {
      skipped.push({ provider, reason: unavailable });
      continue;
    }
    try {
      const session = await open(modelPath, { ...options, executionProviders: [provider] });
      return { session, provider, skipped };
    } catch (error) {
      skipped.push({ provider, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const reasons = skipped.map(({ provider, reason }) => `${provider}: ${reason}`).join('; ');
  throw new PhotoseekError(
    'MODEL_INVALID',
    `The model ${modelPath} could not be loaded (${reasons}).`,
  );
}

/** Why `provider` cannot be used by this onnxruntime-node install, or null when it can be tried. */
function unavailableReason(provider: ProviderName): string | null {
  const backend = listSupportedBackends().find((candidate) => candidate.name === provider);
  if (!backend) return `not included in onnxruntime-node for ${process.platform}-${process.arch}`;
  if (provider === 'webgpu' && process.platform === 'linux' && !hasVulkanLoader()) {
    return 'no Vulkan loader (libvulkan.so.1) is installed, so WebGPU has no adapter';
  }
  if (backend.bundled) return null;
  const library = providerLibraryPath(provider);
  return existsSync(library) ? null : `its library ${library} is not installed`;
}

/** Where onnxruntime-node's install script puts a separately downloaded provider library. */
function providerLibraryPath(provider: ProviderName): string {
  const packageEntry = createRequire(import.meta.url).resolve('onnxruntime-node');
  const binaries = path.join(
    path.dirname(packageEntry),
    '..',
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  const file =
    process.platform === 'win32'
      ? `onnxruntime_providers_${provider}.dll`
      : `libonnxruntime_providers_${provider}.so`;
  return path.join(binaries, file);
}

/**
 * WebGPU on Linux runs over Vulkan. Without the loader library, trying it only prints a native
 * "Couldn't load Vulkan" warning on stderr before failing, so it is skipped up front.
 */
function hasVulkanLoader(): boolean {
  const dirs = [
    ...(process.env['LD_LIBRARY_PATH']?.split(':') ?? []),
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    '/usr/lib64',
    '/usr/lib',
    '/lib64',
  ];
  return dirs.some((dir) => dir && existsSync(path.join(dir, 'libvulkan.so.1')));
}

function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}
