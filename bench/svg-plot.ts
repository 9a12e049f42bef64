/**
 * A dependency-free SVG line chart on log–log axes: archive sizes span 100 to 100,000 and the naive baseline
 * grows by orders of magnitude, so linear axes would flatten every line but one.
 */

export interface PlotPoint {
  readonly x: number;
  readonly y: number;
  /** Extrapolated rather than measured: drawn hollow, on a dashed line. */
  readonly estimated?: boolean;
}

export interface PlotSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly PlotPoint[];
}

export interface PlotPanel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly PlotSeries[];
}

const PANEL_WIDTH = 460;
const PANEL_HEIGHT = 340;
const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 } as const;
const LEGEND_HEIGHT = 28;

/** Panels side by side in one SVG document, with one shared legend under them. */
export function renderPlotSvg(panels: readonly PlotPanel[], caption: string): string {
  const width = PANEL_WIDTH * panels.length;
  const names = new Map<string, string>();
  for (const panel of panels) for (const s of panel.series) names.set(s.name, s.color);
  const height = PANEL_HEIGHT + LEGEND_HEIGHT + 22;
  const parts = panels.map((panel, i) => renderPanel(panel, i * PANEL_WIDTH));
  let legendX = MARGIN.left;
  const legend: string[] = [];
  for (const [name, color] of names) {
    legend.push(
      `<line x1="${legendX}" y1="${PANEL_HEIGHT + 14}" x2="${legendX + 24}" y2="${PANEL_HEIGHT + 14}" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${legendX + 30}" y="${PANEL_HEIGHT + 18}" font-size="12">${escapeXml(name)}</text>`,
    );
    legendX += 40 + name.length * 7;
  }
  legend.push(
    `<line x1="${legendX}" y1="${PANEL_HEIGHT + 14}" x2="${legendX + 24}" y2="${PANEL_HEIGHT + 14}" stroke="#555" stroke-width="2" stroke-dasharray="5 4"/>`,
    `<circle cx="${legendX + 12}" cy="${PANEL_HEIGHT + 14}" r="3.5" fill="#fff" stroke="#555" stroke-width="1.5"/>`,
    `<text x="${legendX + 30}" y="${PANEL_HEIGHT + 18}" font-size="12">extrapolated</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    ...legend,
    `<text x="${MARGIN.left}" y="${height - 6}" font-size="11" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(panel: PlotPanel, offsetX: number): string {
  const points = panel.series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const plotW = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const xs = logRange(points.map((p) => p.x));
  const ys = logRange(points.map((p) => p.y));
  const sx = (x: number) => offsetX + MARGIN.left + ((Math.log10(x) - xs.lo) / (xs.hi - xs.lo || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((Math.log10(y) - ys.lo) / (ys.hi - ys.lo || 1)) * plotH;
  const out: string[] = [
    `<text x="${offsetX + MARGIN.left}" y="22" font-size="14" font-weight="600">${escapeXml(panel.title)}</text>`,
  ];
  for (let e = xs.lo; e <= xs.hi; e++) {
    const x = sx(10 ** e);
    out.push(
      `<line x1="${fmt(x)}" y1="${MARGIN.top}" x2="${fmt(x)}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${fmt(x)}" y="${MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle">${tickLabel(10 ** e)}</text>`,
    );
  }
  for (let e = ys.lo; e <= ys.hi; e++) {
    const y = sy(10 ** e);
    out.push(
      `<line x1="${offsetX + MARGIN.left}" y1="${fmt(y)}" x2="${offsetX + MARGIN.left + plotW}" y2="${fmt(y)}" stroke="#e5e5e5"/>`,
      `<text x="${offsetX + MARGIN.left - 6}" y="${fmt(y + 4)}" font-size="11" text-anchor="end">${tickLabel(10 ** e)}</text>`,
    );
  }
  out.push(
    `<rect x="${offsetX + MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${offsetX + MARGIN.left + plotW / 2}" y="${PANEL_HEIGHT - 10}" font-size="12" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`,
    `<text transform="translate(${offsetX + 16} ${MARGIN.top + plotH / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
  );
  for (const series of panel.series) {
    const pts = series.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1] as PlotPoint;
      const b = pts[i] as PlotPoint;
      const dashed = a.estimated || b.estimated ? ' stroke-dasharray="5 4"' : '';
      out.push(
        `<line x1="${fmt(sx(a.x))}" y1="${fmt(sy(a.y))}" x2="${fmt(sx(b.x))}" y2="${fmt(sy(b.y))}" stroke="${series.color}" stroke-width="2.5"${dashed}/>`,
      );
    }
    for (const p of pts) {
      const fill = p.estimated ? '#fff' : series.color;
      out.push(
        `<circle cx="${fmt(sx(p.x))}" cy="${fmt(sy(p.y))}" r="3.5" fill="${fill}" stroke="${series.color}" stroke-width="1.5"><title>${escapeXml(`${series.name}: ${tickLabel(p.x)} → ${p.y}`)}</title></circle>`,
      );
    }
  }
  return out.join('\n');
}

/** Whole decades that enclose the values. */
function logRange(values: readonly number[]): { lo: number; hi: number } {
  if (values.length === 0) return { lo: 0, hi: 1 };
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  return { lo, hi: hi === lo ? lo + 1 : hi };
}

function tickLabel(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1000) return `${value / 1000}k`;
  return String(Number(value.toPrecision(3)));
}

function fmt(n: number): string {
  return n.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
