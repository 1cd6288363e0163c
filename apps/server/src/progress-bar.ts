import type { RebuildProgress } from '@helpdesk/read-store';

/** A one-line progress bar with rate and ETA, redrawn at most every 100 ms. */
export const progressBar = (out: NodeJS.WriteStream) => {
  let last = 0;
  let drawn = false;
  const draw = (p: RebuildProgress) => {
    const ratio = p.total > 0 ? Math.min(p.applied / p.total, 1) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${p.applied.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} events  ${Math.round(p.eventsPerSecond).toLocaleString('en-US')} ev/s  ETA ${formatSeconds(p.etaSeconds)}  ${p.projection}`;
    out.write(out.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    drawn = true;
  };
  return {
    update(p: RebuildProgress) {
      const now = Date.now();
      if (now - last < 100 && p.applied < p.total) return;
      last = now;
      draw(p);
    },
    done() {
      if (drawn && out.isTTY) out.write('\n');
    },
  };
};

const formatSeconds = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};
