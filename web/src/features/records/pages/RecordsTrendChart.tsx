// The trend chart, drawn with uPlot. Loaded lazily (it is the one heavy dependency);
// the picture is decorative for assistive technology: the summary sentence and the table carry it all.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Trend } from '../api';
import { formatNumber, isOutOfRange, trendExtent } from '../records';

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function TrendChart({ trend, label }: { trend: Trend; label: string }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el || trend.points.length === 0) return undefined;
    const points = trend.points;
    const xs = points.map((p) => new Date(p.collected_at).getTime() / 1000);
    const ys = points.map((p) => p.value);
    const [yMin, yMax] = trendExtent(points);
    // The band shows the most recent normal range (labs rarely change it; the table lists each one).
    const latest = points[points.length - 1]!;
    const brand = cssVar('--brand', '#0f5f8c');
    const danger = cssVar('--danger', '#b42318');
    const muted = cssVar('--muted', '#4a5866');
    const narrow = el.clientWidth < 480;

    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 260),
      height: narrow ? 220 : 260,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      padding: [16, 16, 0, 0],
      scales: {
        x: { time: true },
        y: { range: [yMin, yMax] },
      },
      axes: [
        {
          stroke: muted,
          grid: { stroke: '#e5eaef', width: 1 },
          ticks: { stroke: '#d6dee5', width: 1 },
          font: '12px system-ui, sans-serif',
          space: narrow ? 70 : 90,
        },
        {
          stroke: muted,
          grid: { stroke: '#e5eaef', width: 1 },
          ticks: { stroke: '#d6dee5', width: 1 },
          font: '12px system-ui, sans-serif',
          size: 56,
          values: (_u, values) => values.map((v) => formatNumber(v)),
          ...(trend.unit ? { label: trend.unit, labelFont: '12px system-ui, sans-serif', labelSize: 20 } : {}),
        },
      ],
      series: [
        {},
        {
          label,
          stroke: brand,
          width: 2.5,
          points: { show: true, size: 9, width: 2, stroke: brand, fill: '#ffffff' },
        },
      ],
      hooks: {
        // The normal range as a soft green band behind the line.
        drawClear: [
          (u) => {
            const low = latest.ref_low ?? yMin;
            const high = latest.ref_high ?? yMax;
            if (latest.ref_low === null && latest.ref_high === null) return;
            const { ctx, bbox } = u;
            const top = Math.max(u.valToPos(high, 'y', true), bbox.top);
            const bottom = Math.min(u.valToPos(low, 'y', true), bbox.top + bbox.height);
            ctx.save();
            ctx.fillStyle = 'rgba(23, 112, 58, 0.12)';
            ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
            ctx.strokeStyle = 'rgba(23, 112, 58, 0.55)';
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.lineWidth = devicePixelRatio;
            for (const edge of [latest.ref_low === null ? null : bottom, latest.ref_high === null ? null : top]) {
              if (edge === null) continue;
              ctx.beginPath();
              ctx.moveTo(bbox.left, edge);
              ctx.lineTo(bbox.left + bbox.width, edge);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
        // Out-of-range points get a filled marker and an arrow, so the flag is not told by colour alone.
        draw: [
          (u) => {
            const { ctx } = u;
            const dpr = devicePixelRatio;
            ctx.save();
            ctx.font = `${12 * dpr}px system-ui, sans-serif`;
            ctx.textAlign = 'center';
            points.forEach((p, i) => {
              if (!isOutOfRange(p.flag)) return;
              const x = u.valToPos(xs[i]!, 'x', true);
              const y = u.valToPos(ys[i]!, 'y', true);
              ctx.fillStyle = danger;
              ctx.beginPath();
              ctx.arc(x, y, 4.5 * dpr, 0, Math.PI * 2);
              ctx.fill();
              const up = p.flag!.endsWith('high') || p.flag === 'abnormal';
              ctx.fillText(up ? '▲' : '▼', x, up ? y - 9 * dpr : y + 18 * dpr);
            });
            ctx.restore();
          },
        ],
      },
    };

    const chart = new uPlot(opts, [xs, ys], el);
    const observer = new ResizeObserver(() => {
      const width = Math.max(el.clientWidth, 260);
      if (Math.abs(width - chart.width) > 1) chart.setSize({ width, height: width < 480 ? 220 : 260 });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [trend, label]);

  return <div ref={host} class="res-chart" />;
}
