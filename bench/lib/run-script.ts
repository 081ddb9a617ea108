import { spawn } from 'node:child_process';

/**
 * Runs a bench script in its own Node process (this Node, tsx as the loader), echoing its output
 * live, and resolves with its stdout once it exits successfully. A separate process per bench
 * keeps their memory, threads and native state apart.
 */
export function runBenchScript(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** The Markdown tables (runs of lines starting with "|") in a script's output. */
export function markdownTables(output: string): string[][] {
  const tables: string[][] = [];
  let current: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length > 0) {
      tables.push(current);
      current = [];
    }
  }
  if (current.length > 0) tables.push(current);
  return tables;
}
