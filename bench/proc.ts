/**
 * Runs a command to completion and reports its wall time and peak resident memory, through a small Python
 * parent (Node exposes no rusage for its children, and the same ruler then serves `dropfeed build` and
 * `hugo` alike). getrusage's maxRSS survives exec, so a child reports at least the RSS of whatever forked
 * it: the peak is taken from GNU time (about 2 MiB) placed between Python (about 10 MiB) and the command,
 * and from Python's RUSAGE_CHILDREN only when /usr/bin/time is missing.
 */
import { spawn } from 'node:child_process';
export interface CommandResult {
  readonly exitCode: number;
  readonly wallMs: number;
  /** Peak RSS of the largest process the command ran, in MiB. */
  readonly maxRssMiB: number;
  readonly stdout: string;
  readonly stderr: string;
}

const RUSAGE_WRAPPER = `
import json, os, resource, subprocess, sys, tempfile, time
gnu_time = "/usr/bin/time"
argv = sys.argv[1:]
report = None
if os.path.exists(gnu_time):
    report = tempfile.NamedTemporaryFile(delete=False).name
    argv = [gnu_time, "-o", report, "-f", "%M"] + argv
start = time.perf_counter()
code = subprocess.call(argv)
wall = (time.perf_counter() - start) * 1000
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if report:
    with open(report) as f:
        lines = [l for l in f.read().split("\\n") if l.strip().isdigit()]
    os.unlink(report)
    if lines:
        rss = int(lines[-1])
sys.stderr.write("\\n@@rusage " + json.dumps({"code": code, "wallMs": wall, "maxRssKiB": rss}) + "\\n")
sys.exit(code)
`;

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function measureCommand(command: string, args: readonly string[], options: CommandOptions = {}) {
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', RUSAGE_WRAPPER, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      const marker = stderr.lastIndexOf('\n@@rusage ');
      if (marker < 0) {
        reject(new Error(`${command}: no resource usage reported\n${stderr.slice(-2000)}`));
        return;
      }
      const usage = JSON.parse(stderr.slice(marker + 10)) as {
        code: number;
        wallMs: number;
        maxRssKiB: number;
      };
      resolve({
        exitCode: usage.code,
        wallMs: usage.wallMs,
        maxRssMiB: usage.maxRssKiB / 1024,
        stdout,
        stderr: stderr.slice(0, marker),
      });
    });
  });
}

/** True when `command` is on PATH (the bench skips an alternative it cannot run, and says so). */
export function commandExists(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}
