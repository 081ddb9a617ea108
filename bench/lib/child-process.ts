import { spawn } from 'node:child_process';

export interface ChildRun<T> {
  /** The JSON objects the child printed, one per stdout line, merged. */
  result: T;
  /** From spawning the child to its first JSON line arriving. */
  wallMs: number;
}

/**
 * Runs a TypeScript file in a fresh Node process (this Node, with tsx as its loader, and
 * --expose-gc) and merges the JSON objects it prints, one per stdout line. The child's stderr
 * passes through. Used where the measurement is the process itself: cold start,
 * peak memory.
 */
export function runTsChild<T>(script: string, args: readonly string[]): Promise<ChildRun<T>> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let resultAt = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (resultAt === 0 && /^\{.*\n/m.test(stdout)) resultAt = performance.now();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
      if (code !== 0 || lines.length === 0) {
        reject(new Error(`${script} exited with ${code}; stdout: ${stdout.slice(-500)}`));
        return;
      }
      const result = Object.assign({}, ...lines.map((line) => JSON.parse(line) as object)) as T;
      resolve({ result, wallMs: resultAt - started });
    });
  });
}
