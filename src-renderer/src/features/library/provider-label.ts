const labels: Record<string, string> = {
  cpu: 'CPU',
  cuda: 'NVIDIA GPU (CUDA)',
  tensorrt: 'NVIDIA GPU (TensorRT)',
  dml: 'GPU (DirectML)',
  coreml: 'Apple Neural Engine / GPU (Core ML)',
  webgpu: 'GPU (WebGPU)',
};

/** A person-readable name for an onnxruntime execution provider id. */
export function providerLabel(provider: string): string {
  return labels[provider.toLowerCase()] ?? provider;
}
