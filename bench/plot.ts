/** The scaling plot: time and S3 requests per upload against archive size, dropfeed against naive. */
import type { BenchResults, PublishMeasure } from './results-model.ts';
import { type PlotSeries, renderPlotSvg } from './svg-plot.ts';

const DROPFEED = '#1b7f3b';
const DROPFEED_BATCH = '#6aa84f';
const NAIVE = '#c0392b';

export function scalingSvg(results: BenchResults): string {
  const perUpload = (m: PublishMeasure, value: number) => ({
    x: m.articles,
    y: value / m.uploads,
    estimated: m.extrapolatedFrom !== undefined,
  });
  const series = (
    name: string,
    color: string,
    rows: readonly PublishMeasure[],
    pick: (m: PublishMeasure) => number,
  ) => ({ name, color, points: rows.map((m) => perUpload(m, pick(m))) }) satisfies PlotSeries;
  const batchName = `dropfeed, batch of ${results.batch[0]?.uploads ?? 100} (per upload)`;
  return renderPlotSvg(
    [
      {
        title: 'Time per upload (median)',
        xLabel: 'articles already in the archive',
        yLabel: 'ms per upload',
        series: [
          series('dropfeed, one upload', DROPFEED, results.upload, (m) => m.medianMs),
          series(batchName, DROPFEED_BATCH, results.batch, (m) => m.medianMs),
          series('naive: list + get + parse all', NAIVE, results.naive, (m) => m.medianMs),
        ],
      },
      {
        title: 'S3 requests per upload',
        xLabel: 'articles already in the archive',
        yLabel: 'requests per upload',
        series: [
          series('dropfeed, one upload', DROPFEED, results.upload, (m) => m.totalRequests),
          series(batchName, DROPFEED_BATCH, results.batch, (m) => m.totalRequests),
          series('naive: list + get + parse all', NAIVE, results.naive, (m) => m.totalRequests),
        ],
      },
    ],
    `npm run bench${results.mode === 'quick' ? ' -- --quick' : ''} · ${results.generatedAt.slice(0, 10)} · ${results.machine.nproc} × ${results.machine.cpuModel} · Node ${results.machine.node} · log–log axes`,
  );
}
