import { cpus, totalmem } from 'node:os';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const percentile = (sortedMs: readonly number[], p: number): number =>
  sortedMs.length === 0 ? NaN : sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]!;

export const summarise = (latenciesMs: number[]) => {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
};

export const machine = (): string => {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
};

/** The commit measured, so a figure can be traced to the code that made it ("+ changes" when the tree is dirty). */
export const revision = (): string => {
  const cwd = resolve(__dirname, '../../..');
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return 'commit unknown (not a git checkout)';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).stdout.trim() !== '';
  return `commit ${head.stdout.trim()}${dirty ? ' + uncommitted changes' : ''}`;
};

/** Appends a dated section to BENCHMARKS.md at the repository root. */
export const record = (title: string, lines: string[]): void => {
  const file = resolve(__dirname, '../../../BENCHMARKS.md');
  if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nFigures written by the scripts in `bench/`; each section says the machine and the date it ran.\n');
  appendFileSync(file, `\n## ${title} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\nMachine: ${machine()}; ${revision()}\n\n${lines.join('\n')}\n`);
};
